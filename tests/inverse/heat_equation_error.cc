// Stage 1 of the heat inversion (mollified equation error): recover the
// conductivity k of -div(k grad u) = f from noisy values of u on a
// 101 x 101 grid, with no forward solve. u = 2x + y + 0.2 sin(pi x) sin(pi y)
// (so that grad u never vanishes), k = 1 + 0.5 exp(-|x - (0.3, 0.6)|^2 /
// 0.02), f = -div(k grad u) analytically. The data are mollified (gradient
// and Laplacian) at the quadrature points of a parameter mesh with hanging
// nodes, and the regularized least-squares problem is solved once.
// Checks the Pearson correlation with the true k against stated thresholds,
// in the interior (distance >= 0.1 from the boundary) and on the whole
// domain, at 0% and 1% noise, on 1 and 2 MPI ranks.

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q1.h>

#include <deal.II/grid/grid_generator.h>

#include <mollifem/data/noise.h>
#include <mollifem/inverse/heat_equation_error.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/mollifier/convolution_operator.h>

#include "../tests.h"

#include <array>

using namespace mollifem;

namespace
{
  const double pi = numbers::PI;

  double
  true_k(const Point<2> &p)
  {
    return 1. + 0.5 * std::exp(-((p[0] - 0.3) * (p[0] - 0.3) +
                                 (p[1] - 0.6) * (p[1] - 0.6)) /
                               0.02);
  }

  double
  u(const Point<2> &p)
  {
    return 2 * p[0] + p[1] + 0.2 * std::sin(pi * p[0]) * std::sin(pi * p[1]);
  }

  double
  f(const Point<2> &p)
  {
    const double   k = true_k(p);
    Tensor<1, 2>   grad_k;
    grad_k[0] = (k - 1.) * -2. * (p[0] - 0.3) / 0.02;
    grad_k[1] = (k - 1.) * -2. * (p[1] - 0.6) / 0.02;
    Tensor<1, 2> grad_u;
    grad_u[0] = 2. + 0.2 * pi * std::cos(pi * p[0]) * std::sin(pi * p[1]);
    grad_u[1] = 1. + 0.2 * pi * std::sin(pi * p[0]) * std::cos(pi * p[1]);
    const double laplacian_u =
      -0.4 * pi * pi * std::sin(pi * p[0]) * std::sin(pi * p[1]);
    return -(k * laplacian_u + grad_k * grad_u);
  }
} // namespace

void
check(const double                 noise,
      const double                 delta,
      const double                 beta,
      const std::array<double, 2> &threshold)
{
  // Data: 101 x 101 grid, trapezoidal weights.
  const unsigned int                 n = 101;
  std::vector<Point<2>>              points;
  std::vector<double>                weights;
  std::vector<std::vector<double>>   values(1);
  const double                       h = 1. / (n - 1);
  for (unsigned int j = 0; j < n; ++j)
    for (unsigned int i = 0; i < n; ++i)
      {
        points.emplace_back(i * h, j * h);
        values[0].push_back(u(points.back()));
        weights.push_back(h * h * (i == 0 || i == n - 1 ? 0.5 : 1.) *
                          (j == 0 || j == n - 1 ? 0.5 : 1.));
      }
  if (noise > 0)
    add_relative_noise(values, noise, 11);

  // Parameter mesh: 16 x 16, refined once more around the bump of k.
  auto tria = make_triangulation<2>(MPI_COMM_WORLD);
  GridGenerator::hyper_cube(*tria, 0., 1.);
  tria->refine_global(4);
  for (const auto &cell : tria->active_cell_iterators())
    if (cell->center().distance(Point<2>(0.3, 0.6)) < 0.25)
      cell->set_refine_flag();
  tria->execute_coarsening_and_refinement();
  const FE_Q<2>      fe(1);
  const MappingQ1<2> mapping;
  DoFHandler<2>      dofs(*tria);
  dofs.distribute_dofs(fe);
  IndexSet relevant;
  DoFTools::extract_locally_relevant_dofs(dofs, relevant);
  AffineConstraints<double> constraints(relevant);
  DoFTools::make_hanging_node_constraints(dofs, constraints);
  constraints.close();

  const QGauss<2> quadrature(2);
  HeatEquationError<2>::Settings settings;
  settings.gradient_regularization = beta;
  HeatEquationError<2> stage_1(dofs, constraints, mapping, quadrature, settings);

  MollifierParameters parameters;
  parameters.kernel = "polynomial";
  parameters.radius = {delta};
  ConvolutionOperator<2> mollifier(parameters,
                                   {DifferentialOperator<2>::partial(0),
                                    DifferentialOperator<2>::partial(1),
                                    DifferentialOperator<2>::laplacian()});
  mollifier.reinit(points, weights, stage_1.targets());
  LA::Vector data(mollifier.column_partitioning(), MPI_COMM_WORLD);
  for (const auto k : mollifier.column_partitioning())
    data[k] = values[0][k];
  data.compress(VectorOperation::insert);
  std::vector<LA::Vector> gradient(2);
  LA::Vector              laplacian;
  mollifier.apply(0, data, gradient[0]);
  mollifier.apply(1, data, gradient[1]);
  mollifier.apply(2, data, laplacian);
  stage_1.add_snapshot(gradient, laplacian, nullptr,
                       ScalarFunctionFromFunctionObject<2>(&f));
  LA::Vector k;
  stage_1.solve(k);

  // Scores at the quadrature points, interior and whole domain.
  LA::Vector k_ghosted(dofs.locally_owned_dofs(), relevant, MPI_COMM_WORLD);
  k_ghosted = k;
  FEValues<2> fe_values(mapping, fe, quadrature,
                        update_values | update_quadrature_points | update_JxW_values);
  std::vector<double> k_values(quadrature.size());
  // sums: [w, w a, w e, w a a, w e e, w a e, w (a-e)^2] for all and interior
  std::array<std::array<double, 7>, 2> sums{};
  for (const auto &cell : dofs.active_cell_iterators())
    if (cell->is_locally_owned())
      {
        fe_values.reinit(cell);
        fe_values.get_function_values(k_ghosted, k_values);
        for (unsigned int q = 0; q < quadrature.size(); ++q)
          {
            const Point<2> &p = fe_values.quadrature_point(q);
            const double    a = k_values[q], e = true_k(p), w = fe_values.JxW(q);
            const bool interior = p[0] > 0.1 && p[0] < 0.9 && p[1] > 0.1 && p[1] < 0.9;
            for (unsigned int r = 0; r < (interior ? 2u : 1u); ++r)
              {
                const double s[7] = {w, w * a, w * e, w * a * a, w * e * e,
                                     w * a * e, w * (a - e) * (a - e)};
                for (unsigned int c = 0; c < 7; ++c)
                  sums[r][c] += s[c];
              }
          }
      }
  testing::log() << "noise " << 100 * noise << "%, delta " << delta
                 << ", beta " << beta << ":";
  for (unsigned int r = 0; r < 2; ++r)
    {
      std::array<double, 7> s;
      for (unsigned int c = 0; c < 7; ++c)
        s[c] = Utilities::MPI::sum(sums[r][c], MPI_COMM_WORLD);
      const double ma = s[1] / s[0], me = s[2] / s[0];
      const double covariance = s[5] / s[0] - ma * me;
      const double correlation =
        covariance / std::sqrt((s[3] / s[0] - ma * ma) * (s[4] / s[0] - me * me));
      const double error = std::sqrt(s[6] / s[4]);
      testing::log() << (r == 0 ? " whole domain" : ", interior")
                     << " correlation " << testing::format(correlation, 2)
                     << " (>= " << threshold[r] << ": "
                     << testing::yes_no(correlation >= threshold[r])
                     << "), relative L2 error " << testing::format(error, 2);
    }
  testing::log() << '\n';
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  // Thresholds on the correlation: whole domain, interior. The radius is
  // large because the Laplacian of noisy data is needed: with smaller radii
  // its noise biases k towards zero (errors in the variables of the least
  // squares problem).
  check(0., 0.4, 1e-2, {{0.95, 0.97}});
  check(0.01, 0.4, 1e-2, {{0.9, 0.95}});
}
