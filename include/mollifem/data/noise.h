#ifndef mollifem_data_noise_h
#define mollifem_data_noise_h

#include <vector>

namespace mollifem
{
  /**
   * Add Gaussian noise of relative level @p relative_level to @p values:
   * every value gets an independent draw from $N(0, \sigma^2)$ with
   * $\sigma = \text{level} \cdot \text{RMS}(\text{values})$, so that the
   * noise has about the given fraction of the data's root mean square.
   *
   * The draws come from Boost's mt19937 and normal_distribution seeded with
   * @p seed, in the order of the values (snapshot by snapshot): the same seed
   * gives the same noise on every platform and for every number of MPI ranks
   * (every rank holds all values).
   *
   * @return $\sigma$.
   */
  double
  add_relative_noise(std::vector<std::vector<double>> &values,
                     const double                      relative_level,
                     const unsigned int                seed);

  /// Root mean square of all values.
  double
  root_mean_square(const std::vector<std::vector<double>> &values);
} // namespace mollifem

#endif
