// The time kernel: weights that give the smoothed value and d/dt of a
// series of snapshots at irregular times. Checks exactness for polynomials
// in time up to the reproduction degree at the first, an interior and the
// last snapshot time (where the kernel is cut), the O(delta^2) convergence of
// d/dt for a smooth non-polynomial series, and the application to snapshot
// vectors (a field per time).

#include <mollifem/mollifier/time_convolution.h>

#include "../tests.h"

#include <random>

using namespace mollifem;

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);

  // 81 irregular times in [0, 2].
  std::mt19937                           generator(5);
  std::uniform_real_distribution<double> jitter(-0.3, 0.3);
  std::vector<double>                    times;
  for (unsigned int k = 0; k <= 80; ++k)
    times.push_back(k == 0 || k == 80 ? k * 0.025 :
                                        (k + jitter(generator)) * 0.025);
  const std::vector<double> targets = {0., 0.77, 2.};

  MollifierParameters parameters;
  parameters.radius = {0.3};
  for (const int degree : {2, 3})
    {
      parameters.reproduction_degree = degree;
      TimeConvolution time_kernel(parameters, 1);
      time_kernel.reinit(times, targets);
      bool exact = true;
      for (int n = 0; n <= degree; ++n)
        for (unsigned int j = 0; j < targets.size(); ++j)
          {
            double value = 0., derivative = 0., scale = 0.;
            for (unsigned int k = 0; k < times.size(); ++k)
              {
                const double u = std::pow(times[k] - 0.4, n);
                value += time_kernel.weights(0)(j, k) * u;
                derivative += time_kernel.weights(1)(j, k) * u;
                scale += std::abs(time_kernel.weights(1)(j, k) * u);
              }
            exact &= std::abs(value - std::pow(targets[j] - 0.4, n)) < 1e-12;
            exact &= std::abs(derivative -
                              (n == 0 ? 0. :
                                        n * std::pow(targets[j] - 0.4, n - 1))) <
                     1e-10 * std::max(scale, 1.);
          }
      testing::log() << "reproduction degree " << degree
                     << ": value and d/dt of (t - 0.4)^n, n <= " << degree
                     << ", exact at t = 0, 0.77, 2: " << testing::yes_no(exact)
                     << '\n';
    }

  // d/dt of sin(3t) + t^3 on 401 regular times: O(delta^2) with the
  // default degree.
  std::vector<double> fine;
  for (unsigned int k = 0; k <= 400; ++k)
    fine.push_back(k * 0.005);
  std::vector<double> errors;
  parameters.reproduction_degree = -1;
  for (const double delta : {0.2, 0.1, 0.05})
    {
      parameters.radius = {delta};
      TimeConvolution time_kernel(parameters, 1);
      time_kernel.reinit(fine, targets);
      double error = 0.;
      for (unsigned int j = 0; j < targets.size(); ++j)
        {
          double derivative = 0.;
          for (unsigned int k = 0; k < fine.size(); ++k)
            derivative += time_kernel.weights(1)(j, k) *
                          (std::sin(3 * fine[k]) + std::pow(fine[k], 3));
          error = std::max(error,
                           std::abs(derivative - 3 * std::cos(3 * targets[j]) -
                                    3 * targets[j] * targets[j]));
        }
      errors.push_back(error);
    }
  testing::log() << "d/dt of sin(3t) + t^3, delta 0.2, 0.1, 0.05: rates "
                 << testing::rate(errors[0], errors[1]) << ", "
                 << testing::rate(errors[1], errors[2]) << '\n';

  // Applied to snapshot vectors: entry i holds (1 + i) t^2.
  parameters.radius = {0.3};
  TimeConvolution time_kernel(parameters, 1);
  time_kernel.reinit(times, targets);
  IndexSet all(3);
  all.add_range(0, 3);
  std::vector<LA::Vector> snapshots;
  for (const double t : times)
    {
      LA::Vector snapshot(all, MPI_COMM_SELF);
      for (unsigned int i = 0; i < 3; ++i)
        snapshot[i] = (1. + i) * t * t;
      snapshot.compress(VectorOperation::insert);
      snapshots.push_back(snapshot);
    }
  LA::Vector rate_of_change;
  time_kernel.apply(1, 1, snapshots, rate_of_change);
  bool ok = true;
  for (unsigned int i = 0; i < 3; ++i)
    ok &= std::abs(rate_of_change[i] - (1. + i) * 2 * 0.77) < 1e-10;
  testing::log() << "snapshot vectors, d/dt at t = 0.77 exact: "
                 << testing::yes_no(ok) << '\n';
}
