#pragma once
// Every screen of the kiosk with its local state, and the chrome around
// them: draw() lays out the full-screen window and the screen the
// navigation shows. The shell calls it once a frame and hands the commands
// to the controller.
#include <bitset>

#include "kiosk/ui/app_state.hpp"
#include "kiosk/ui/views.hpp"

namespace shouxin::kiosk {

struct Screens {
    void draw(const AppState& state, Commands& commands);
    /// Forgets what the screens in `views` held (selection, typed text,
    /// popups); publish and revise share one form.
    void reset(const std::bitset<kViewCount>& views);
    /// Forgets everything, down to ImGui's state of the screens' child
    /// windows (scroll, scrollbars): drawn as a kiosk just started draws
    /// them. For one picture of a set (--screenshot-dir).
    void startAfresh();

    Chrome chrome;
    RestoringView restoring;
    HomeView home;
    AreaView area;
    DetailView detail;
    FiguresView figures;
    SearchView search;
    ComplaintFormView complaint;
    LookupView lookup;
    BreachesView breaches;
    ComplaintsView complaints;
    LoginView login;
    DashboardView dashboard;
    ReportView report;
    PublishView publish;

private:
    int m_generation = 0;  // the ID scope of the child windows; startAfresh() opens a new one
};

}  // namespace shouxin::kiosk
