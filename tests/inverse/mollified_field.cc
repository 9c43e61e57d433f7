// The mollified FE field q = T(eta * m) on a mesh with hanging nodes:
// - exactness: a linear m gives q = m at every quadrature point, up to the
//   boundary, with the moment-corrected kernel (and not with the plain,
//   truncated one, which loses mass at the boundary);
// - smoothing: a field oscillating on a scale far below the radius is damped;
// - the vector-Jacobian product is the transpose of the Jacobian-vector
//   product: sum_k w_k dq_k = g . dm with g from add_gradient() and
//   finish_gradient(), for the log transform too.

#include <deal.II/base/function_parser.h>
#include <deal.II/base/quadrature_lib.h>

#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/mapping_q1.h>

#include <mollifem/coefficient/fe_field_coefficient.h>
#include <mollifem/mesh/mesh.h>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

namespace
{
  /// Calls f(fe_values) on every locally owned cell.
  template <typename Function>
  void
  for_each_cell(const Triangulation<2> &triangulation, const Function &f)
  {
    const FE_Q<2>   fe(1);
    FEValues<2>     fe_values(StaticMappingQ1<2>::mapping,
                          fe,
                          QGauss<2>(3),
                          update_quadrature_points | update_JxW_values);
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          f(fe_values);
        }
  }

  /// max over quadrature points |q - f| and the L2 norms of q - f and of
  /// m - f (m: the unmollified field) farther than 0.15 from the boundary.
  struct Deviation
  {
    double max_error = 0.;
    double mollified = 0.;
    double unmollified = 0.;
  };

  bool
  interior(const Point<2> &p)
  {
    return std::min({p[0], p[1], 1. - p[0], 1. - p[1]}) > 0.15;
  }

  Deviation
  deviation(const FEFieldCoefficient<2> &mollified,
            const FEFieldCoefficient<2> &plain,
            const Function<2> &          reference)
  {
    Deviation           d;
    std::vector<double> q, m;
    for_each_cell(mollified.dof_handler().get_triangulation(),
                  [&](const FEValues<2> &fe_values) {
                    mollified.values(fe_values, q);
                    plain.values(fe_values, m);
                    for (unsigned int k = 0; k < q.size(); ++k)
                      {
                        const double f =
                          reference.value(fe_values.quadrature_point(k));
                        d.max_error = std::max(d.max_error, std::abs(q[k] - f));
                        if (!interior(fe_values.quadrature_point(k)))
                          continue;
                        d.mollified += fe_values.JxW(k) * (q[k] - f) * (q[k] - f);
                        d.unmollified +=
                          fe_values.JxW(k) * (m[k] - f) * (m[k] - f);
                      }
                  });
    const MPI_Comm c = MPI_COMM_WORLD;
    d.max_error      = Utilities::MPI::max(d.max_error, c);
    d.mollified      = std::sqrt(Utilities::MPI::sum(d.mollified, c));
    d.unmollified    = std::sqrt(Utilities::MPI::sum(d.unmollified, c));
    return d;
  }
} // namespace

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);

  auto triangulation = testing::square_with_hanging_nodes(5, "x < 0.3");

  MollifierParameters kernel;
  kernel.kernel = "polynomial";
  kernel.radius = {0.15};

  for (const bool moment_corrected : {true, false})
    {
      kernel.moment_corrected = moment_corrected;
      FEFieldCoefficient<2> field(*triangulation, 1, false);
      field.mollify(kernel);
      FEFieldCoefficient<2> plain(*triangulation, 1, false);
      const FunctionParser<2> linear("1 + 2*x - y");
      field.interpolate_function(linear);
      plain.interpolate_function(linear);
      const Deviation d = deviation(field, plain, linear);
      testing::log() << (moment_corrected ? "moment corrected" : "plain")
                     << ": linear field reproduced to 1e-10 everywhere: "
                     << testing::yes_no(d.max_error < 1e-10) << std::endl;
    }

  kernel.moment_corrected = true;
  {
    // sin(60 x) (wavelength 0.1, below the radius 0.15) on top of a smooth
    // trend: the oscillation is damped, the trend kept (in the interior:
    // near the boundary the one-sided corrected kernel damps less).
    FEFieldCoefficient<2> field(*triangulation, 1, false);
    field.mollify(kernel);
    FEFieldCoefficient<2> plain(*triangulation, 1, false);
    const FunctionParser<2> rough("1 + x*y + 0.3*sin(60*x)");
    const FunctionParser<2> trend("1 + x*y");
    field.interpolate_function(rough);
    plain.interpolate_function(rough);
    const Deviation d = deviation(field, plain, trend);
    testing::log() << "oscillation below the radius damped at least 10 times "
                      "in the interior: "
                   << testing::yes_no(d.mollified < 0.1 * d.unmollified)
                   << std::endl;
  }

  for (const bool log_transform : {false, true})
    {
      FEFieldCoefficient<2> field(*triangulation, 1, log_transform);
      field.mollify(kernel);
      FEFieldCoefficient<2> helper(*triangulation, 1, false);
      helper.interpolate_function(FunctionParser<2>("0.3*x + sin(5*y)"));
      field.set_parameters(helper.parameters());
      helper.interpolate_function(FunctionParser<2>("cos(7*x*y) - x"));
      const LA::Vector direction = helper.parameters();
      field.set_direction(direction);

      // Weights w_k: any function of the point.
      const FunctionParser<2> w("1 + x - 3*y*y");
      LA::Vector              g = field.make_parameter_vector();
      double                  product = 0.;
      std::vector<double>     dq, weights;
      for_each_cell(*triangulation, [&](const FEValues<2> &fe_values) {
        field.direction_values(fe_values, dq);
        weights.resize(dq.size());
        for (unsigned int k = 0; k < dq.size(); ++k)
          {
            weights[k] = w.value(fe_values.quadrature_point(k));
            product += weights[k] * dq[k];
          }
        field.add_gradient(fe_values, weights, g);
      });
      g.compress(VectorOperation::add);
      field.finish_gradient(g);
      product = Utilities::MPI::sum(product, MPI_COMM_WORLD);
      // The hanging-node entries of the direction do not matter: the
      // gradient is zero there.
      const double difference = std::abs(g * direction - product);
      testing::log() << (log_transform ? "log transform" : "no transform")
                     << ": vector-Jacobian product is the transpose to 1e-12: "
                     << testing::yes_no(difference < 1e-12 * std::abs(product))
                     << std::endl;
    }
  return 0;
}
