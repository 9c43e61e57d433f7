#include <deal.II/base/exceptions.h>

#include <mollifem/data/noise.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>

#include <cmath>

namespace mollifem
{
  double
  root_mean_square(const std::vector<std::vector<double>> &values)
  {
    double       sum = 0;
    std::size_t  n   = 0;
    for (const auto &snapshot : values)
      for (const double v : snapshot)
        {
          sum += v * v;
          ++n;
        }
    return n > 0 ? std::sqrt(sum / n) : 0.;
  }



  double
  add_relative_noise(std::vector<std::vector<double>> &values,
                     const double                      relative_level,
                     const unsigned int                seed)
  {
    AssertThrow(relative_level >= 0,
                dealii::ExcMessage("The noise level must not be negative."));
    const double sigma = relative_level * root_mean_square(values);
    if (sigma == 0.)
      return 0.;

    boost::random::mt19937                     generator(seed);
    boost::random::normal_distribution<double> normal(0., sigma);
    for (auto &snapshot : values)
      for (double &v : snapshot)
        v += normal(generator);
    return sigma;
  }
} // namespace mollifem
