// The random-field ground truth (Coefficient/Ground truth = random field):
// - it stays above its floor, and its mean over many seeds is the given mean
//   (within 3 standard errors of the sample of field means);
// - its normal derivative vanishes on the box (cosine modes), checked by a
//   one-sided difference quotient;
// - the same seed gives the same field (also on every rank: the mpirun=2
//   output is the same), another seed another field;
// - its spatial correlation at distance r follows exp(-r^2/l^2) away from
//   the walls: the sample correlation over 3000 seeds at the box centre at
//   r = l is exp(-1) = 0.37 and at r = l/3 exp(-1/9) = 0.89, to 0.05 (three
//   standard errors of a sample correlation).

#include <deal.II/base/bounding_box.h>

#include <numeric>

#include <mollifem/coefficient/random_field.h>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const BoundingBox<2> box(
    std::make_pair(Point<2>(0., 0.), Point<2>(2., 1.)));
  RandomFieldParameters parameters;
  parameters.mean               = 0.5;
  parameters.floor              = 0.15;
  parameters.log_deviation      = 0.5;
  parameters.correlation_length = 0.3;

  // Above the floor; value at a point printed for the rank comparison.
  {
    const RandomField<2> field(parameters, box);
    double               minimum = 1e300;
    for (unsigned int i = 0; i <= 40; ++i)
      for (unsigned int j = 0; j <= 20; ++j)
        minimum = std::min(minimum, field.value(Point<2>(0.05 * i, 0.05 * j)));
    testing::log() << field.description() << std::endl
                   << "  value at (0.7, 0.4): "
                   << testing::format(field.value(Point<2>(0.7, 0.4)), 8)
                   << std::endl
                   << "  above the floor on a 41 x 21 grid: "
                   << testing::yes_no(minimum > parameters.floor) << std::endl;

    // Zero normal derivative on all four sides.
    double largest_slope = 0.;
    const double h = 1e-6;
    for (unsigned int i = 1; i < 20; ++i)
      {
        const double s = 0.05 * i;
        const double x = 2. * s, y = s;
        largest_slope = std::max(
          {largest_slope,
           std::abs(field.value(Point<2>(h, y)) - field.value(Point<2>(0., y))) / h,
           std::abs(field.value(Point<2>(2., y)) -
                    field.value(Point<2>(2. - h, y))) / h,
           std::abs(field.value(Point<2>(x, h)) - field.value(Point<2>(x, 0.))) / h,
           std::abs(field.value(Point<2>(x, 1.)) -
                    field.value(Point<2>(x, 1. - h))) / h});
      }
    testing::log() << "  normal derivative zero on the boundary (< 1e-4): "
                   << testing::yes_no(largest_slope < 1e-4) << std::endl;

    const RandomField<2> same(parameters, box);
    RandomFieldParameters other_parameters = parameters;
    other_parameters.seed                  = 2;
    const RandomField<2> other(other_parameters, box);
    const Point<2>       p(1.3, 0.55);
    testing::log() << "  same seed, same field: "
                   << testing::yes_no(same.value(p) == field.value(p))
                   << std::endl
                   << "  another seed, another field: "
                   << testing::yes_no(other.value(p) != field.value(p))
                   << std::endl;
  }

  // Statistics over seeds: mean, and correlations of G = log((q - floor) /
  // (mean - floor)) at distances l and l/3 around the box centre.
  const unsigned int  n_seeds = 3000;
  const Point<2>      centre(1., 0.5);
  const double        l = parameters.correlation_length;
  std::vector<double> means, g0, g1, g3;
  for (unsigned int seed = 1; seed <= n_seeds; ++seed)
    {
      parameters.seed = seed;
      const RandomField<2> field(parameters, box);
      double               sum = 0.;
      for (unsigned int i = 0; i < 20; ++i)
        for (unsigned int j = 0; j < 10; ++j)
          sum += field.value(Point<2>(0.05 + 0.1 * i, 0.05 + 0.1 * j));
      means.push_back(sum / 200.);
      const auto g = [&](const Point<2> &x) {
        return std::log((field.value(x) - parameters.floor) /
                        (parameters.mean - parameters.floor));
      };
      g0.push_back(g(centre));
      g1.push_back(g(centre + Point<2>(l, 0.)));
      g3.push_back(g(centre + Point<2>(l / 3., 0.)));
    }
  const auto mean = [](const std::vector<double> &v) {
    return std::accumulate(v.begin(), v.end(), 0.) / v.size();
  };
  const auto correlation = [&](const std::vector<double> &a,
                               const std::vector<double> &b) {
    const double ma = mean(a), mb = mean(b);
    double       ab = 0., aa = 0., bb = 0.;
    for (unsigned int i = 0; i < a.size(); ++i)
      {
        ab += (a[i] - ma) * (b[i] - mb);
        aa += (a[i] - ma) * (a[i] - ma);
        bb += (b[i] - mb) * (b[i] - mb);
      }
    return ab / std::sqrt(aa * bb);
  };
  const double m = mean(means);
  double       variance = 0.;
  for (const double x : means)
    variance += (x - m) * (x - m) / (n_seeds - 1);
  const double standard_error = std::sqrt(variance / n_seeds);
  testing::log() << "over " << n_seeds << " seeds:" << std::endl
                 << "  mean within 3 standard errors of 0.5: "
                 << testing::yes_no(std::abs(m - 0.5) < 3. * standard_error)
                 << std::endl
                 << "  correlation at r = l near exp(-1): "
                 << testing::yes_no(std::abs(correlation(g0, g1) -
                                             std::exp(-1.)) < 0.05)
                 << std::endl
                 << "  correlation at r = l/3 near exp(-1/9): "
                 << testing::yes_no(std::abs(correlation(g0, g3) -
                                             std::exp(-1. / 9.)) < 0.05)
                 << std::endl;
  return 0;
}
