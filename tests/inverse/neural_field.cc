// The neural field on its own, on a distributed mesh with hanging nodes,
// with the functional F(theta) = int g(x) q(x) dx (g = 1 + x y), summed
// over the quadrature points of the locally owned cells:
// - F and its gradient (add_gradient + finish_gradient) printed to 8
//   digits: the same on 1 and 2 ranks (replicated weights, gradients
//   summed over the ranks into rank 0's entries);
// - the Jacobian-vector product (direction_values) and the
//   vector-Jacobian product are transposes: sum_k s_k (J v)_k = (J^T s).v;
// - q's value at a point does not depend on the cell or the quadrature it is
//   evaluated with (the batch cache is keyed by the quadrature): the
//   integral of q with a 2-point and a 4-point Gauss rule agrees to the
//   quadrature error, and re-evaluating after set_parameters() changes it;
// - the initial network is nearly the constant 'initial value' (the output
//   layer starts small): F close to its value for q = 1.5;
// - weights written by write_weights() and read by read_weights() give the
//   same F to the last bit; a file for another architecture is refused
//   with a message naming the file, the line and both architectures;
// - the hybrid q = exp(m_h + y) on the same mesh: F and the norms of the FE
//   and network blocks of its gradient (the FE numbering depends on the
//   partition, the norms do not) the same on 1 and 2 ranks, and its JVP and
//   VJP transposes of each other.

#include <deal.II/base/function_parser.h>
#include <deal.II/base/quadrature_lib.h>

#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/mapping_q1.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/coefficient/hybrid_coefficient.h>
#include <mollifem/coefficient/neural_coefficient.h>
#include <mollifem/mesh/mesh.h>

#include <fstream>
#include <iomanip>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

namespace
{
  /// F = sum over owned cells and points of JxW g q; with @p gradient, also
  /// its gradient (and with @p direction, sum JxW g dq).
  double
  integrate(const ParametricCoefficient<2> &field,
            const Triangulation<2> &    triangulation,
            const unsigned int          n_gauss,
            LA::Vector *                gradient  = nullptr,
            double *                    directional = nullptr)
  {
    const FE_Q<2>   fe(1);
    const QGauss<2> quadrature(n_gauss);
    FEValues<2>     fe_values(StaticMappingQ1<2>::mapping,
                          fe,
                          quadrature,
                          update_quadrature_points | update_JxW_values);
    std::vector<double> q, dq, weights(quadrature.size());
    double              sum = 0., d_sum = 0.;
    for (const auto &cell : triangulation.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          field.values(fe_values, q);
          if (directional != nullptr)
            field.direction_values(fe_values, dq);
          for (unsigned int k = 0; k < quadrature.size(); ++k)
            {
              const Point<2> &x = fe_values.quadrature_point(k);
              weights[k]        = fe_values.JxW(k) * (1. + x[0] * x[1]);
              sum += weights[k] * q[k];
              if (directional != nullptr)
                d_sum += weights[k] * dq[k];
            }
          if (gradient != nullptr)
            field.add_gradient(fe_values, weights, *gradient);
        }
    if (gradient != nullptr)
      {
        gradient->compress(VectorOperation::add);
        field.finish_gradient(*gradient);
      }
    if (directional != nullptr)
      *directional = Utilities::MPI::sum(d_sum, MPI_COMM_WORLD);
    return Utilities::MPI::sum(sum, MPI_COMM_WORLD);
  }
} // namespace



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  MeshParameters                   mesh;
  mesh.initial_global_refinement = 4;
  mesh.refinement_region         = "(x-0.3)^2 + (y-0.6)^2 < 0.05";
  mesh.local_refinement_steps    = 1;
  auto triangulation             = make_triangulation<2>(MPI_COMM_WORLD);
  create_mesh(mesh, *triangulation);

  NeuralParameters architecture;
  architecture.hidden_layers    = {10, 10};
  architecture.fourier_features = 2;
  architecture.initial_value    = 1.5;
  NeuralCoefficient<2> field(*triangulation, architecture, true);
  testing::log() << field.description() << std::endl;

  // Near the constant 1.5 at the start: int (1 + xy) 1.5 = 1.5 * 1.25.
  const double F0 = integrate(field, *triangulation, 2);
  testing::log() << "initial F within 10% of 1.5 * 1.25: "
                 << testing::yes_no(std::abs(F0 / 1.875 - 1.) < 0.1)
                 << std::endl;

  // Move away from the initial weights.
  LA::Vector theta = field.parameters();
  for (const auto i : theta.locally_owned_elements())
    theta[i] += 0.3 * std::sin(1.7 * i);
  theta.compress(VectorOperation::insert);
  field.set_parameters(theta);

  LA::Vector   gradient = field.make_parameter_vector();
  const double F        = integrate(field, *triangulation, 2, &gradient);
  testing::log() << std::setprecision(8) << "F = " << F
                 << ", |dF/dtheta| = " << gradient.l2_norm() << std::endl;
  testing::log() << "dF/dtheta, entries 0, 50, 100, 150: ";
  // Entries live on rank 0; their sum over the ranks is the entry.
  for (const unsigned int i : {0u, 50u, 100u, 150u})
    {
      const double entry =
        gradient.locally_owned_elements().is_element(i) ? gradient[i] : 0.;
      testing::log() << Utilities::MPI::sum(entry, MPI_COMM_WORLD) << ' ';
    }
  testing::log() << std::endl;

  LA::Vector v = field.make_parameter_vector();
  for (const auto i : v.locally_owned_elements())
    v[i] = std::cos(0.9 * i);
  v.compress(VectorOperation::insert);
  field.set_direction(v);
  double     Jv = 0.;
  integrate(field, *triangulation, 2, nullptr, &Jv);
  testing::log() << "s.(J v) = (J^T s).v to 1e-12: "
                 << testing::yes_no(std::abs(Jv - gradient * v) <
                                    1e-12 * std::abs(Jv))
                 << std::endl;

  // Weights written and read back by a network with another seed: the same
  // field to the last bit (written with 17 digits).
  if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    {
      std::ofstream out("weights.txt");
      field.write_weights(out);
    }
  {
    const int ierr = MPI_Barrier(MPI_COMM_WORLD);
    AssertThrowMPI(ierr);
  }
  NeuralParameters other_seed = architecture;
  other_seed.seed             = 7;
  other_seed.fourier_features = 0;
  NeuralCoefficient<2> different(*triangulation, other_seed, true);
  try
    {
      different.read_weights("weights.txt");
    }
  catch (const ExceptionBase &e)
    {
      testing::log() << "weights of another architecture: "
                     << user_message(e) << std::endl;
    }
  NeuralCoefficient<2> copy(*triangulation, architecture, true);
  copy.read_weights("weights.txt");
  testing::log() << "weights written and read: the same F: "
                 << testing::yes_no(integrate(copy, *triangulation, 2) == F)
                 << std::endl;

  const double F4 = integrate(field, *triangulation, 4);
  testing::log() << "2- and 4-point Gauss rules agree to 1e-4: "
                 << testing::yes_no(std::abs(F4 - F) < 1e-4 * std::abs(F))
                 << std::endl;
  field.initialize();
  testing::log() << "back at the initial weights, F is the initial F again: "
                 << testing::yes_no(std::abs(integrate(field, *triangulation,
                                                       2) -
                                             F0) < 1e-14 * std::abs(F0))
                 << std::endl;

  HybridCoefficient<2> hybrid(*triangulation, 1, architecture, true);
  // Parameters that do not depend on the partition: the FE part from a
  // function, the network's weights by their index.
  hybrid.interpolate_function(FunctionParser<2>("1.5*exp(0.3*sin(5*x)*y)"));
  LA::Vector eta, fe_eta, neural_eta;
  hybrid.split(hybrid.parameters(), fe_eta, neural_eta);
  for (const auto j : neural_eta.locally_owned_elements())
    neural_eta[j] += 0.3 * std::sin(1.7 * j);
  neural_eta.compress(VectorOperation::insert);
  hybrid.merge(fe_eta, neural_eta, eta);
  hybrid.set_parameters(eta);
  LA::Vector   hybrid_gradient = hybrid.make_parameter_vector();
  integrate(hybrid, *triangulation, 2, &hybrid_gradient);
  LA::Vector fe_block, neural_block;
  hybrid.split(hybrid_gradient, fe_block, neural_block);
  testing::log() << "hybrid (" << hybrid.parameters().size()
                 << " parameters): |dF/dm| = " << fe_block.l2_norm()
                 << ", |dF/dtheta| = " << neural_block.l2_norm() << std::endl;
  LA::Vector w = hybrid.make_parameter_vector();
  for (const auto i : w.locally_owned_elements())
    w[i] = std::cos(0.9 * i);
  w.compress(VectorOperation::insert);
  hybrid.set_direction(w);
  integrate(hybrid, *triangulation, 2, nullptr, &Jv);
  testing::log() << "hybrid: s.(J w) = (J^T s).w to 1e-12: "
                 << testing::yes_no(std::abs(Jv - hybrid_gradient * w) <
                                    1e-12 * std::abs(Jv))
                 << std::endl;
  return 0;
}
