#include <mollifem/data/snapshot_sampler.h>

#include <cmath>

namespace mollifem
{
  std::vector<std::vector<std::pair<unsigned int, double>>>
  time_interpolation(const std::vector<double> &step_times,
                     const std::vector<double> &observation_times)
  {
    std::vector<std::vector<std::pair<unsigned int, double>>> result;
    unsigned int n = 0;
    for (const double tau : observation_times)
      {
        // The same tolerance as SnapshotSampler::add().
        while (n < step_times.size() &&
               tau > step_times[n] + 1e-10 * (1. + std::abs(step_times[n])))
          ++n;
        AssertThrow(n < step_times.size(),
                    ExcMessage("An observation time lies after the last "
                               "time step."));
        const double tolerance = 1e-10 * (1. + std::abs(step_times[n]));
        if (n == 0 || std::abs(tau - step_times[n]) <= tolerance)
          result.push_back({{n, 1.}});
        else
          {
            const double a =
              (tau - step_times[n - 1]) / (step_times[n] - step_times[n - 1]);
            result.push_back({{n - 1, 1. - a}, {n, a}});
          }
      }
    return result;
  }



  template <int dim>
  SnapshotSampler<dim>::SnapshotSampler(
    const ObservationOperator<dim> &observation_operator,
    const DoFHandler<dim> &         dof_handler,
    const unsigned int              component,
    const std::vector<double> &     times)
    : observation_operator(observation_operator)
    , dof_handler(dof_handler)
    , component(component)
    , times(times)
    , snapshots(times.size())
    , next(0)
    , previous_time(0.)
    , have_previous(false)
  {}



  template <int dim>
  void
  SnapshotSampler<dim>::add(const double time, const LA::Vector &state)
  {
    // Times closer than this count as equal: observation times given in a
    // parameter file rarely hit t0 + n dt to the last bit.
    const double tolerance = 1e-10 * (1. + std::abs(time));

    std::vector<double> current, previous;
    while (next < times.size() && times[next] <= time + tolerance)
      {
        if (current.empty())
          current = observation_operator.evaluate(dof_handler, state, component);
        const double tau = times[next];
        if (std::abs(tau - time) <= tolerance || !have_previous)
          snapshots[next] = current;
        else
          {
            if (previous.empty())
              previous = observation_operator.evaluate(dof_handler,
                                                       previous_state,
                                                       component);
            const double a = (tau - previous_time) / (time - previous_time);
            snapshots[next].resize(current.size());
            for (unsigned int j = 0; j < current.size(); ++j)
              snapshots[next][j] = (1. - a) * previous[j] + a * current[j];
          }
        ++next;
      }

    if (next < times.size())
      {
        previous_state = state;
        previous_time  = time;
        have_previous  = true;
      }
  }



  template <int dim>
  bool
  SnapshotSampler<dim>::complete() const
  {
    return next == times.size();
  }



  template <int dim>
  const std::vector<std::vector<double>> &
  SnapshotSampler<dim>::values() const
  {
    return snapshots;
  }



  template class SnapshotSampler<1>;
  template class SnapshotSampler<2>;
  template class SnapshotSampler<3>;
} // namespace mollifem
