#include <mollifem/base/exceptions.h>
#include <mollifem/models/time_parameters.h>

#include <cmath>

namespace mollifem
{
  void
  TimeParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Time");
    {
      prm.declare_entry("Start time",
                        "0",
                        Patterns::Double(),
                        "Initial time t0 of transient models [time].");
      prm.declare_entry("End time",
                        "1",
                        Patterns::Double(),
                        "Final time T of transient models [time].");
      prm.declare_entry("Time step",
                        "0.01",
                        Patterns::Double(0.),
                        "Time step dt [time]. If it does not divide T - t0, "
                        "the number of steps is rounded up and the step "
                        "shortened to fit.");
      prm.declare_entry("Scheme",
                        "Crank-Nicolson",
                        Patterns::Selection("implicit Euler|Crank-Nicolson"),
                        "Time discretization: implicit Euler (theta = 1, "
                        "first order, L-stable) or Crank-Nicolson (theta = "
                        "1/2, second order).");
    }
    prm.leave_subsection();
  }



  void
  TimeParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Time");
    {
      start_time = prm.get_double("Start time");
      end_time   = prm.get_double("End time");
      time_step  = prm.get_double("Time step");
      scheme     = prm.get("Scheme");
    }
    prm.leave_subsection();

    AssertThrow(end_time > start_time,
                ExcParameter("Time/End time",
                             "the end time must be larger than the start "
                             "time."));
    AssertThrow(time_step > 0,
                ExcParameter("Time/Time step", "the time step must be positive."));
    AssertThrow(time_step <= end_time - start_time,
                ExcParameter("Time/Time step",
                             "the time step is longer than the time interval."));
  }



  unsigned int
  TimeParameters::n_steps() const
  {
    // A small tolerance, so that 1/0.1 steps are 10 and not 11.
    return static_cast<unsigned int>(
      std::ceil((end_time - start_time) / time_step - 1e-9));
  }



  double
  TimeParameters::effective_time_step() const
  {
    return (end_time - start_time) / n_steps();
  }



  double
  TimeParameters::time(const unsigned int step) const
  {
    return (step == n_steps()) ? end_time :
                                 start_time + step * effective_time_step();
  }



  double
  TimeParameters::theta() const
  {
    return (scheme == "implicit Euler") ? 1. : 0.5;
  }
} // namespace mollifem
