// Convergence of the mollified Laplacian and bi-Laplacian of a smooth,
// non-polynomial field in the kernel radius delta, with the boundary-aware
// (moment-corrected) kernel, at targets on a 9 x 9 grid that includes edges
// and corners, on a mesh with hanging nodes.
//
// Documented rate: with reproduction degree m the error of a derivative of
// order k is O(delta^(m+1-k)) as long as the field is resolved (here a
// degree-6 field on a fine mesh, so that the bias of the kernel dominates):
// 'auto' (m = k + 1) gives 2; m = k + 2 gives 3.
//
// Then the same operator on a uniformly refined mesh and on an adaptively
// refined one (the same finest cells only in part of the domain) gives the
// same values to 2e-3 of the field's scale, a tenth of the mollifier's own
// error at that delta.

#include <deal.II/base/function.h>

#include <deal.II/dofs/dof_handler.h>

#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/mapping_q1.h>

#include <deal.II/grid/grid_generator.h>

#include <deal.II/numerics/vector_tools.h>

#include <mollifem/mesh/mesh.h>
#include <mollifem/mollifier/convolution_operator.h>

#include "../tests.h"
#include "mollifier_tests.h"

using namespace mollifem;

/// u = sin(3x) cos(2y) + x exp(y): Laplacian -13 sin(3x)cos(2y) + x exp(y),
/// bi-Laplacian 169 sin(3x) cos(2y) + x exp(y).
class Field : public Function<2>
{
public:
  double
  value(const Point<2> &p, const unsigned int = 0) const override
  {
    return std::sin(3 * p[0]) * std::cos(2 * p[1]) + p[0] * std::exp(p[1]);
  }

  double
  laplacian(const Point<2> &p) const
  {
    return -13 * std::sin(3 * p[0]) * std::cos(2 * p[1]) +
           p[0] * std::exp(p[1]);
  }

  double
  bilaplacian(const Point<2> &p) const
  {
    return 169 * std::sin(3 * p[0]) * std::cos(2 * p[1]) +
           p[0] * std::exp(p[1]);
  }
};

struct Mesh
{
  Mesh(const unsigned int global, const bool adaptive)
    : tria(make_triangulation<2>(MPI_COMM_WORLD))
    , fe(6)
    , dof_handler(*tria)
  {
    GridGenerator::hyper_cube(*tria, 0., 1.);
    tria->refine_global(global);
    // One more level, everywhere or only in the right half.
    for (const auto &cell : tria->active_cell_iterators())
      if (!adaptive || cell->center()[0] > 0.5)
        cell->set_refine_flag();
    tria->execute_coarsening_and_refinement();
    dof_handler.distribute_dofs(fe);
  }

  std::unique_ptr<Triangulation<2>> tria;
  FE_Q<2>                           fe;
  DoFHandler<2>                     dof_handler;
  MappingQ1<2>                      mapping;
};

std::vector<Point<2>>
grid_points()
{
  std::vector<Point<2>> points;
  for (unsigned int j = 0; j <= 8; ++j)
    for (unsigned int i = 0; i <= 8; ++i)
      points.emplace_back(i / 8., j / 8.);
  return points;
}

/// The Laplacian and bi-Laplacian at the grid points, on every rank.
std::vector<std::vector<double>>
mollify(const Mesh &mesh, const MollifierParameters &parameters)
{
  const auto            points = grid_points();
  const Targets<2>      targets =
    Targets<2>::at_points(points, *mesh.tria, mesh.mapping);
  ConvolutionOperator<2> convolution(
    parameters,
    {DifferentialOperator<2>::laplacian(),
     DifferentialOperator<2>::bilaplacian()});
  convolution.reinit(mesh.dof_handler, targets, mesh.mapping);

  return testing::mollify_everywhere(
    convolution, mesh.dof_handler, mesh.mapping, Field(), targets);
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const Field                      field;
  const auto                       points = grid_points();

  const Mesh adaptive(4, true);
  for (const std::string kernel : {"bump", "polynomial"})
    for (const int extra : {0, 1})
      {
        testing::log() << kernel << " kernel, reproduction degree order + "
                       << 1 + extra << ":\n";
        std::vector<double> errors[2];
        for (const double delta : {0.4, 0.2, 0.1})
          {
            MollifierParameters parameters;
            parameters.kernel = kernel;
            parameters.radius = {delta};
            std::vector<std::vector<double>> values;
            if (extra)
              {
                // Explicit degrees: k + 2 for each output.
                parameters.reproduction_degree = 4;
                values.push_back(mollify(adaptive, parameters)[0]);
                parameters.reproduction_degree = 6;
                values.push_back(mollify(adaptive, parameters)[1]);
              }
            else
              values = mollify(adaptive, parameters);
            double e[2] = {0., 0.};
            for (unsigned int t = 0; t < points.size(); ++t)
              {
                e[0] = std::max(e[0],
                                std::abs(values[0][t] - field.laplacian(points[t])));
                e[1] = std::max(e[1],
                                std::abs(values[1][t] -
                                         field.bilaplacian(points[t])));
              }
            errors[0].push_back(e[0] / 13.);
            errors[1].push_back(e[1] / 169.);
            testing::log() << "  delta " << delta << ": max relative error "
                           << "laplacian " << testing::format(e[0] / 13., 2)
                           << ", bilaplacian " << testing::format(e[1] / 169., 2)
                           << '\n';
          }
        testing::log() << "  rates: laplacian "
                       << testing::rate(errors[0][1], errors[0][2]) << ", bilaplacian "
                       << testing::rate(errors[1][1], errors[1][2]) << '\n';
      }

  // Uniform and adaptive meshes: the adaptive one has the finest cells only
  // in the right half.
  const Mesh uniform(4, false);
  for (const std::string kernel : {"bump", "polynomial"})
    {
      MollifierParameters parameters;
      parameters.kernel = kernel;
      parameters.radius = {0.2};
      const auto on_uniform  = mollify(uniform, parameters);
      const auto on_adaptive = mollify(adaptive, parameters);
      double     difference[2] = {0., 0.};
      for (unsigned int o = 0; o < 2; ++o)
        for (unsigned int t = 0; t < points.size(); ++t)
          difference[o] = std::max(difference[o],
                                   std::abs(on_uniform[o][t] - on_adaptive[o][t]));
      // Tolerance: 2e-3 of the field's scale (13 and 169), and a tenth of
      // the mollifier's own error at this delta (about 3e-2, above); the
      // difference is quadrature error of the kernel on the coarser cells.
      testing::log() << kernel << " kernel, delta 0.2, uniform vs adaptive mesh, "
                     << "max difference below 2e-3 of the field's scale: "
                     << "laplacian " << testing::yes_no(difference[0] / 13. < 2e-3)
                     << ", bilaplacian "
                     << testing::yes_no(difference[1] / 169. < 2e-3) << '\n';
    }
}
