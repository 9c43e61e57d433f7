// Exactness of the boundary-aware (moment-corrected) mollifier: with
// reproduction degree m, the smoothed value, gradient, Laplacian and
// bi-Laplacian of every polynomial of degree <= m are exact to round-off at
// interior, edge and corner targets, on a mesh with hanging nodes. The
// plain (truncated) kernel is exact only in the interior, for polynomials of
// degree <= order + 1, and biased where the ball leaves the domain: there it
// loses mass (1/2 on an edge, 1/4 at a 2D corner, 1/8 at a 3D corner).

#include <deal.II/base/function.h>
#include <deal.II/base/function_lib.h>
#include <deal.II/base/quadrature_lib.h>

#include <deal.II/distributed/tria.h>

#include <deal.II/dofs/dof_handler.h>

#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/mapping_q1.h>

#include <deal.II/grid/grid_generator.h>

#include <deal.II/numerics/vector_tools.h>

#include <mollifem/mesh/mesh.h>
#include <mollifem/mollifier/convolution_operator.h>

#include "../tests.h"
#include "mollifier_tests.h"

#include <random>

using namespace mollifem;

/// A polynomial of total degree n with fixed pseudo-random coefficients,
/// and its exact derivatives.
template <int dim>
class Polynomial : public Function<dim>
{
public:
  Polynomial(const unsigned int degree, const unsigned int seed)
    : monomials(multi_indices_up_to<dim>(degree))
  {
    std::mt19937                           generator(seed);
    std::uniform_real_distribution<double> distribution(-1., 1.);
    for (unsigned int k = 0; k < monomials.size(); ++k)
      coefficients.push_back(distribution(generator));
  }

  double
  value(const Point<dim> &x, const unsigned int = 0) const override
  {
    return apply(DifferentialOperator<dim>::identity(), x);
  }

  /// (L P)(x).
  double
  apply(const DifferentialOperator<dim> &L, const Point<dim> &x) const
  {
    double result = 0.;
    for (const auto &[c, alpha] : L.terms())
      for (unsigned int k = 0; k < monomials.size(); ++k)
        {
          double term = coefficients[k] * c;
          for (unsigned int i = 0; i < dim; ++i)
            {
              if (alpha[i] > monomials[k][i])
                term = 0.;
              else
                for (unsigned int j = 0; j < alpha[i]; ++j)
                  term *= monomials[k][i] - j;
              term *= std::pow(x[i], int(monomials[k][i] - std::min(alpha[i], monomials[k][i])));
            }
          result += term;
        }
    return result;
  }

private:
  std::vector<MultiIndex<dim>> monomials;
  std::vector<double>          coefficients;
};

template <int dim>
std::vector<DifferentialOperator<dim>>
all_outputs()
{
  std::vector<DifferentialOperator<dim>> outputs = {
    DifferentialOperator<dim>::identity()};
  for (const auto &d : DifferentialOperator<dim>::gradient())
    outputs.push_back(d);
  outputs.push_back(DifferentialOperator<dim>::laplacian());
  outputs.push_back(DifferentialOperator<dim>::bilaplacian());
  return outputs;
}

/// The unit cube refined globally, and once more in the lower-left part.
template <int dim>
void
make_mesh(Triangulation<dim> &tria, const unsigned int refinements)
{
  GridGenerator::hyper_cube(tria, 0., 1.);
  tria.refine_global(refinements);
  for (const auto &cell : tria.active_cell_iterators())
    if (cell->center()[0] < 0.5 &&
        cell->center()[dim - 1] < 0.5)
      cell->set_refine_flag();
  tria.execute_coarsening_and_refinement();
}

template <int dim>
struct Setup
{
  Setup(const unsigned int fe_degree, const unsigned int refinements)
    : tria_pointer(make_triangulation<dim>(MPI_COMM_WORLD))
    , tria(*tria_pointer)
    , fe(fe_degree)
    , dof_handler(tria)
  {
    make_mesh(tria, refinements);
    dof_handler.distribute_dofs(fe);
  }

  /// The mollified outputs of P at the targets, on every rank.
  std::vector<std::vector<double>>
  mollify(const ConvolutionOperator<dim> &convolution,
          const Function<dim> &           P,
          const Targets<dim> &            targets)
  {
    return testing::mollify_everywhere(
      convolution, dof_handler, mapping, P, targets);
  }

  std::unique_ptr<Triangulation<dim>> tria_pointer;
  Triangulation<dim> &                tria;
  FE_Q<dim>                           fe;
  DoFHandler<dim>                     dof_handler;
  MappingQ1<dim>                      mapping;
};

/**
 * Max over targets of |computed - exact| / S, where S = sum_j |W_tj U_j| is
 * the size of the terms of the sum (its floating-point condition): the
 * derivative weights are large with alternating signs, so "exact" means
 * exact up to round-off of that sum.
 */
template <int dim>
double
relative_error(const ConvolutionOperator<dim> &convolution,
               const unsigned int              o,
               const Setup<dim> &              setup,
               const Polynomial<dim> &         P,
               const std::vector<Point<dim>> & points)
{
  Vector<double> U(setup.dof_handler.n_dofs());
  VectorTools::interpolate(setup.mapping, setup.dof_handler, P, U);
  const auto &matrix = convolution.matrix(o);
  double      error  = 0.;
  for (unsigned int t = 0; t < points.size(); ++t)
    {
      double sum = 0., scale = 0.;
      for (auto entry = matrix.begin(t); entry != matrix.end(t); ++entry)
        {
          sum += entry->value() * U[entry->column()];
          scale += std::abs(entry->value() * U[entry->column()]);
        }
      const double exact = P.apply(convolution.output(o), points[t]);
      error = std::max(error, std::abs(sum - exact) / std::max(scale, 1e-300));
    }
  return error;
}

template <int dim>
void
check(const unsigned int              fe_degree,
      const unsigned int              refinements,
      const double                    radius,
      const unsigned int              max_order,
      const std::vector<std::string> &names,
      const std::vector<Point<dim>> & points)
{
  testing::log() << dim << "D, Q" << fe_degree << ", radius " << radius
                 << ", targets:";
  for (const auto &name : names)
    testing::log() << ' ' << name;
  testing::log() << '\n';

  Setup<dim>         setup(fe_degree, refinements);
  const Targets<dim> targets =
    Targets<dim>::at_points(points, setup.tria, setup.mapping);
  std::vector<DifferentialOperator<dim>> outputs;
  for (const auto &L : all_outputs<dim>())
    if (L.order() <= max_order)
      outputs.push_back(L);

  // Corrected kernel, 'auto' degree (order + 1) and one degree higher:
  // every output exact for all polynomials up to its degree.
  for (const int extra : {0, 1})
    {
      MollifierParameters parameters;
      parameters.radius = {radius};
      if (extra > 0)
        parameters.reproduction_degree = max_order + 1 + extra;
      ConvolutionOperator<dim> convolution(parameters, outputs);
      convolution.reinit(setup.dof_handler, targets, setup.mapping);
      testing::log() << "  moment corrected, degree "
                     << (extra ? std::to_string(max_order + 1 + extra) :
                                 std::string("auto"))
                     << ", exact (1e-10 of the sum's terms) up to degree:";
      for (unsigned int o = 0; o < outputs.size(); ++o)
        {
          const unsigned int m = convolution.reproduction_degree(o);
          bool               exact = true;
          for (unsigned int n = 0; n <= m; ++n)
            exact &= relative_error(convolution,
                                    o,
                                    setup,
                                    Polynomial<dim>(n, 17 + n),
                                    points) < 1e-10;
          testing::log() << ' ' << outputs[o].name() << ' ' << m << ' '
                         << testing::yes_no(exact);
        }
      testing::log() << '\n';
    }

  // Targets at the quadrature points of every cell (the midpoints, in 1D
  // and 2D; 3D would only repeat the check at a higher price): the same
  // exactness.
  if (dim < 3)
  {
    const Targets<dim> quadrature_targets =
      Targets<dim>::at_quadrature_points(setup.tria, QGauss<dim>(1), setup.mapping);
    MollifierParameters parameters;
    parameters.radius = {radius};
    ConvolutionOperator<dim> convolution(parameters, outputs);
    convolution.reinit(setup.dof_handler, quadrature_targets, setup.mapping);
    bool exact = true;
    for (unsigned int o = 0; o < outputs.size(); ++o)
      exact &= relative_error(convolution,
                              o,
                              setup,
                              Polynomial<dim>(convolution.reproduction_degree(o), 5),
                              quadrature_targets.points) < 1e-10;
    testing::log() << "  moment corrected, targets at the " << quadrature_targets.size()
                   << " cell midpoints, every output exact up to "
                      "its degree: "
                   << testing::yes_no(exact) << '\n';
  }

  // Plain kernel: in the interior (the first target) exact for degree <=
  // order + 1 up to quadrature error, which is large for the steep higher
  // derivatives of the bump; shown here with the polynomial kernel and 32
  // points per radius, for orders up to 2.
  MollifierParameters parameters;
  parameters.radius                       = {radius};
  parameters.moment_corrected             = false;
  parameters.kernel                       = "polynomial";
  parameters.quadrature_points_per_radius = 32;
  ConvolutionOperator<dim> convolution(parameters, outputs);
  convolution.reinit(setup.dof_handler, targets, setup.mapping);
  testing::log() << "  plain polynomial kernel, interior, degree order + 1, "
                    "error below 1e-4 delta^-order:";
  for (unsigned int o = 0; o < outputs.size(); ++o)
    if (outputs[o].order() <= 2)
      {
        const Polynomial<dim> P(outputs[o].order() + 1, 31);
        const auto   values = setup.mollify(convolution, P, targets);
        const double exact  = P.apply(outputs[o], points[0]);
        testing::log() << ' ' << outputs[o].name() << ' '
                       << testing::yes_no(std::abs(values[o][0] - exact) *
                                            std::pow(radius,
                                                     outputs[o].order()) <
                                          1e-4);
      }
  testing::log() << '\n';
  const Functions::ConstantFunction<dim> one(1.);
  const auto mass = setup.mollify(convolution, one, targets)[0];
  testing::log() << "  plain polynomial kernel, smoothed value of 1 (the mass in the "
                    "domain):";
  for (unsigned int t = 0; t < points.size(); ++t)
    testing::log() << ' ' << names[t] << ' ' << testing::format(mass[t], 2);
  testing::log() << '\n';
  const ScalarFunctionFromFunctionObject<dim> x_0(
    [](const Point<dim> &x) { return x[0]; });
  const auto gradient = setup.mollify(convolution, x_0, targets)[1];
  testing::log() << "  plain polynomial kernel, d/dx of x:";
  for (unsigned int t = 0; t < points.size(); ++t)
    testing::log() << ' ' << names[t] << ' ' << testing::format(gradient[t], 2);
  testing::log() << '\n';
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check<1>(6,
           4,
           0.2,
           4,
           {"interior", "near-boundary", "boundary"},
           {Point<1>(0.5), Point<1>(0.9), Point<1>(0.)});
  check<2>(6,
           3,
           0.2,
           4,
           {"interior", "near-edge", "edge", "corner", "hanging-corner"},
           {Point<2>(0.5, 0.55),
            Point<2>(0.93, 0.4),
            Point<2>(0.6, 1.),
            Point<2>(1., 1.),
            Point<2>(0., 0.)});
  check<3>(4,
           2,
           0.3,
           2,
           {"interior", "face", "corner"},
           {Point<3>(0.5, 0.5, 0.5), Point<3>(0.5, 0.4, 1.), Point<3>(0., 0., 0.)});
}
