// Synthetic noise: sigma = level * RMS(data); the realized relative noise
// ||noise|| / ||data|| matches the level for many values; the same seed gives
// the same noise, another seed other noise; level 0 changes nothing.

#include <deal.II/base/mpi.h>

#include <mollifem/data/noise.h>

#include <cmath>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);

  std::vector<std::vector<double>> clean(2, std::vector<double>(50000));
  for (unsigned int i = 0; i < 2; ++i)
    for (unsigned int j = 0; j < clean[i].size(); ++j)
      clean[i][j] = std::sin(0.001 * j) + i;

  for (const double level : {0.01, 0.05})
    {
      auto         noisy = clean;
      const double sigma = add_relative_noise(noisy, level, 42);
      double       noise2 = 0., data2 = 0.;
      for (unsigned int i = 0; i < 2; ++i)
        for (unsigned int j = 0; j < clean[i].size(); ++j)
          {
            noise2 += std::pow(noisy[i][j] - clean[i][j], 2);
            data2 += std::pow(clean[i][j], 2);
          }
      const double realized = std::sqrt(noise2 / data2);
      testing::log() << "level " << level << ": sigma / RMS = "
                     << testing::format(sigma / root_mean_square(clean), 6)
                     << ", realized level within 1% of the level: "
                     << testing::yes_no(std::abs(realized / level - 1) < 0.01)
                     << std::endl;

      auto again = clean;
      add_relative_noise(again, level, 42);
      auto other = clean;
      add_relative_noise(other, level, 43);
      testing::log() << "  same seed, same noise: "
                     << testing::yes_no(again == noisy)
                     << "; other seed, other noise: "
                     << testing::yes_no(other != noisy) << std::endl;
    }
  auto unchanged = clean;
  testing::log() << "level 0: sigma = " << add_relative_noise(unchanged, 0., 1)
                 << ", data unchanged: " << testing::yes_no(unchanged == clean)
                 << std::endl;
}
