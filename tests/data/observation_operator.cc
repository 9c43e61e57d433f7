// The pointwise observation operator B on a mesh with hanging nodes:
// - B reproduces a field the FE space holds exactly (a Q1 function) at
//   random points, grid points on cell faces and mesh vertices (1e-12);
// - add_transpose() is the exact transpose: <B u, w> = <u, B^T w> (1e-12);
// - the numbers do not depend on the number of MPI ranks (1, 2, 4).

#include <deal.II/base/function.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/mapping_q.h>

#include <deal.II/numerics/vector_tools.h>

#include <mollifem/data/observation_operator.h>
#include <mollifem/data/observations.h>
#include <mollifem/data/sampling.h>
#include <mollifem/mesh/mesh.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const MPI_Comm                   comm = MPI_COMM_WORLD;

  MeshParameters mesh;
  mesh.initial_global_refinement = 3;
  mesh.refinement_region         = "(x-0.4)^2 + (y-0.6)^2 < 0.06";
  mesh.local_refinement_steps    = 2;
  auto triangulation             = make_triangulation<2>(comm);
  create_mesh(mesh, *triangulation);

  const FE_Q<2>   fe(1);
  const MappingQ<2> mapping(1);
  DoFHandler<2>   dof_handler(*triangulation);
  dof_handler.distribute_dofs(fe);
  IndexSet relevant;
  DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);
  AffineConstraints<double> constraints(relevant);
  DoFTools::make_hanging_node_constraints(dof_handler, constraints);
  constraints.close();

  // Bilinear fields are in the Q1 space on any mesh of squares.
  const ScalarFunctionFromFunctionObject<2> field(
    [](const Point<2> &p) { return 1. + 2. * p[0] - 3. * p[1] + 5. * p[0] * p[1]; });
  LA::Vector owned(dof_handler.locally_owned_dofs(), comm);
  VectorTools::interpolate(mapping, dof_handler, field, owned);
  LA::Vector ghosted(dof_handler.locally_owned_dofs(), relevant, comm);
  ghosted = owned;

  // Random points, points of a grid whose lines run along cell faces, and
  // the corners of the domain.
  std::vector<Point<2>> points =
    random_points_in_domain(*triangulation, mapping, 200, 3);
  const auto grid = StructuredGrid<2>::spanning(Point<2>(0, 0),
                                                Point<2>(1, 1),
                                                {{9, 9}});
  for (const auto &p : grid.points())
    points.push_back(p);

  ObservationOperator<2> observe(points, comm);
  observe.reinit(*triangulation, mapping);
  testing::log() << points.size() << " points, not found: "
                 << observe.points_not_found().size() << std::endl;

  const std::vector<double> values = observe.evaluate(dof_handler, ghosted);
  double                    max_error = 0.;
  for (unsigned int j = 0; j < points.size(); ++j)
    max_error = std::max(max_error, std::abs(values[j] - field.value(points[j])));
  testing::log() << "values exact (max error < 1e-12): "
                 << testing::yes_no(max_error < 1e-12) << std::endl;

  boost::random::mt19937                           generator(11);
  boost::random::uniform_real_distribution<double> uniform(-1., 1.);
  std::vector<double>                              weights(points.size());
  for (auto &w : weights)
    w = uniform(generator);

  LA::Vector dual(dof_handler.locally_owned_dofs(), comm);
  observe.add_transpose(dof_handler, weights, constraints, dual);
  double left = 0.;
  for (unsigned int j = 0; j < points.size(); ++j)
    left += values[j] * weights[j];
  const double right = dual * owned;
  testing::log() << "<B u, w> = " << testing::format(left, 12) << std::endl
                 << "transpose exact (|<Bu,w> - <u,B^T w>| < 1e-12 |<Bu,w>|): "
                 << testing::yes_no(std::abs(left - right) <
                                    1e-12 * std::abs(left))
                 << std::endl;
}
