// Observation files round-trip: observations written as CSV and as legacy
// VTK structured points (steady and transient, 1D to 3D) are read back
// bit for bit: points, times and values.

#include <deal.II/base/mpi.h>

#include <mollifem/data/observation_io.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

template <int dim>
Observations<dim>
make_observations(const bool transient)
{
  boost::random::mt19937                           generator(7);
  boost::random::uniform_real_distribution<double> uniform(-1., 1.);

  std::array<unsigned int, dim> n;
  for (unsigned int d = 0; d < dim; ++d)
    n[d] = 3 + d;
  Point<dim> lower, upper;
  for (unsigned int d = 0; d < dim; ++d)
    {
      lower[d] = 0.1 * (d + 1);
      upper[d] = 1. / 3. + d;
    }
  Observations<dim> observations;
  observations.grid       = StructuredGrid<dim>::spanning(lower, upper, n);
  observations.points     = observations.grid->points();
  observations.field_name = "phi";
  if (transient)
    observations.times = {0.1, 1. / 3., 0.7};
  observations.values.resize(std::max<std::size_t>(1, observations.times.size()));
  for (auto &snapshot : observations.values)
    for (unsigned int j = 0; j < observations.points.size(); ++j)
      snapshot.push_back(uniform(generator) * 1e-3 / 7.);
  return observations;
}

template <int dim>
bool
same(const Observations<dim> &a, const Observations<dim> &b)
{
  if (a.points.size() != b.points.size() || a.times != b.times ||
      a.values != b.values || a.field_name != b.field_name)
    return false;
  for (unsigned int j = 0; j < a.points.size(); ++j)
    if (a.points[j] != b.points[j])
      return false;
  return true;
}

template <int dim>
void
check(const bool transient)
{
  const auto observations = make_observations<dim>(transient);
  for (const std::string extension : {".csv", ".vtk"})
    {
      const std::string name = "observations-" + std::to_string(dim) + "d" +
                               (transient ? "-transient" : "") + extension;
      ObservationIO::write(observations, name);
      const auto read = ObservationIO::read<dim>(name);
      testing::log() << dim << "D, " << (transient ? "transient" : "steady")
                     << ", " << extension << ": " << read.n_points()
                     << " points, " << read.n_snapshots()
                     << " snapshots, identical: "
                     << testing::yes_no(same(observations, read))
                     << ", grid as written: "
                     << testing::yes_no(read.grid.has_value() ==
                                        (extension == ".vtk"))
                     << std::endl;
    }
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  for (const bool transient : {false, true})
    {
      check<1>(transient);
      check<2>(transient);
      check<3>(transient);
    }
}
