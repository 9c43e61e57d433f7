#ifndef mollifem_data_snapshot_sampler_h
#define mollifem_data_snapshot_sampler_h

#include <mollifem/base/linear_algebra.h>
#include <mollifem/data/observation_operator.h>

#include <utility>
#include <vector>

namespace mollifem
{
  /**
   * The linear interpolation in time of SnapshotSampler as weights: for
   * every observation time $\tau_k$, the pairs (step n, weight) with
   * $u(\tau_k) = \sum w\,u^n$, for states at the increasing
   * @p step_times. Observation times after the last step are not allowed.
   */
  std::vector<std::vector<std::pair<unsigned int, double>>>
  time_interpolation(const std::vector<double> &step_times,
                     const std::vector<double> &observation_times);

  /**
   * Observes a time series of states at given times: fed the states of a
   * time-stepping run in order, it records $B u(\tau_k)$ at every observation
   * time $\tau_k$, interpolating linearly in time between the two states that
   * bracket it, $B u(\tau) = (1-a) B u^{n-1} + a B u^n$ with
   * $a = (\tau - t^{n-1}) / (t^n - t^{n-1})$, which keeps the sampling linear
   * in the states (and so adjoint-friendly).
   */
  template <int dim>
  class SnapshotSampler
  {
  public:
    SnapshotSampler(const ObservationOperator<dim> &observation_operator,
                    const DoFHandler<dim> &         dof_handler,
                    const unsigned int              component,
                    const std::vector<double> &     times);

    /// The state at @p time (ghosted); times must increase from call to call.
    void
    add(const double time, const LA::Vector &state);

    /// True when every observation time has been passed.
    bool
    complete() const;

    /// values[k][j]: the observation at time k, point j.
    const std::vector<std::vector<double>> &
    values() const;

  private:
    const ObservationOperator<dim> &   observation_operator;
    const DoFHandler<dim> &            dof_handler;
    const unsigned int                 component;
    const std::vector<double>          times;
    std::vector<std::vector<double>>   snapshots;
    unsigned int                       next;
    double                             previous_time;
    LA::Vector                         previous_state;
    bool                               have_previous;
  };
} // namespace mollifem

#endif
