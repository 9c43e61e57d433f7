// The regularizations of stage 2 on their own, on a mesh with hanging nodes
// (the Taylor tests of the full objective see them only beside a misfit
// that is much larger):
// - for each type, |R(m + e v) - R(m) - e g.v| decreases at rate 2 and
//   |R(m + e v) - R(m) - e g.v - e^2/2 v.Hv| at rate 3 (a quadratic R: the
//   remainder is at round-off, printed as such), and v.Hw = w.Hv;
// - H2 on a uniform mesh: for m = x^2 + y^2 the lumped-mass discrete
//   Laplacian is exactly 4 at interior nodes, so
//   R = alpha/2 (int |grad m|^2 + l^2 16 (1 - boundary weights)) = alpha/2
//   (8/3 + 16 l^2 (1 - 2h + h^2)) (h the cell size, the boundary nodes
//   carry the weights of a strip h/2 wide);
// - H2's preconditioner P = alpha l^2 (K + cW) W^-1 (K + cW): for v that
//   vanishes two cells away from the boundary P v = H v + alpha/(4 l^2) W v,
//   and P^-1 (P v) = v to the solver tolerance.

#include <deal.II/base/function_parser.h>

#include <mollifem/coefficient/fe_field_coefficient.h>
#include <mollifem/inverse/regularization.h>
#include <mollifem/mesh/mesh.h>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

namespace
{
  /// R behind the interface testing::taylor_remainders() expects.
  struct RegularizationObjective
  {
    const Regularization<2> &regularization;

    double
    value(const LA::Vector &m) const
    {
      return regularization.value(m);
    }

    void
    gradient(const LA::Vector &m, LA::Vector &g) const
    {
      regularization.gradient(m, g);
    }

    void
    gauss_newton_vmult(const LA::Vector &m,
                       const LA::Vector &v,
                       LA::Vector &      Hv) const
    {
      regularization.hessian_vmult(m, v, Hv);
    }
  };


  LA::Vector
  interpolate(const FEFieldCoefficient<2> &field, const std::string &expression)
  {
    FEFieldCoefficient<2> copy(field.dof_handler().get_triangulation(), 1, false);
    copy.interpolate_function(FunctionParser<2>(expression));
    return copy.parameters();
  }


  void
  print_remainders(const std::string &label, const std::vector<double> &r)
  {
    if (r.front() < 1e-12)
      testing::log() << "  " << label
                     << " remainders at round-off (R is quadratic): "
                     << testing::yes_no(*std::max_element(r.begin(), r.end()) <
                                        1e-12)
                     << std::endl;
    else
      testing::print_rates(label, r);
  }
} // namespace



void
taylor(const std::string &type)
{
  testing::log() << type << std::endl;
  MeshParameters mesh;
  mesh.initial_global_refinement = 3;
  mesh.refinement_region         = "x < 0.4";
  mesh.local_refinement_steps    = 1;
  auto triangulation             = make_triangulation<2>(MPI_COMM_WORLD);
  create_mesh(mesh, *triangulation);
  FEFieldCoefficient<2> field(*triangulation, 1, false);
  const Regularization<2> regularization(
    field.dof_handler(), field.constraints(), type, 0.3, 0.2, 0.5, 0.2);
  const RegularizationObjective objective{regularization};

  const LA::Vector m = interpolate(field, "sin(3*x)*y + x*x*x");
  const LA::Vector v = interpolate(field, "cos(2*x) + y*y*x");
  const LA::Vector w = interpolate(field, "x - y*x*x");
  print_remainders("gradient",
                   testing::taylor_remainders(objective, m, v, 1e-1, 1));
  print_remainders("Hessian",
                   testing::taylor_remainders(objective, m, v, 1e-1, 2));
  LA::Vector Hv = m, Hw = m;
  regularization.hessian_vmult(m, v, Hv);
  regularization.hessian_vmult(m, w, Hw);
  testing::log() << "  Hessian symmetric to 1e-12: "
                 << testing::yes_no(std::abs(w * Hv - v * Hw) <
                                    1e-12 * w.l2_norm() * Hv.l2_norm())
                 << std::endl;
}



void
h2_exactness()
{
  MeshParameters mesh;
  mesh.initial_global_refinement = 4;
  auto triangulation             = make_triangulation<2>(MPI_COMM_WORLD);
  create_mesh(mesh, *triangulation);
  FEFieldCoefficient<2> field(*triangulation, 1, false);
  const double            alpha = 0.3, l = 0.2, h = 1. / 16;
  const Regularization<2> regularization(
    field.dof_handler(), field.constraints(), "H2", alpha, 0., 0., l);

  // The H1 part of the quadratic is integrated exactly by the Q1
  // interpolant's gradient only up to O(h^2): compare with the discrete
  // H1 seminorm from the H1 regularization itself.
  const LA::Vector m = interpolate(field, "x*x + y*y");
  const Regularization<2> h1(
    field.dof_handler(), field.constraints(), "H1", alpha, 0., 0.);
  const double laplacian_part =
    regularization.value(m) - h1.value(m);
  const double expected = 0.5 * alpha * l * l * 16. * (1. - 2. * h + h * h);
  testing::log() << "H2, m = x^2 + y^2 on a uniform mesh: Laplacian term "
                 << "= alpha/2 l^2 16 (1 - 2h + h^2) to 1e-10: "
                 << testing::yes_no(std::abs(laplacian_part - expected) <
                                    1e-10 * expected)
                 << std::endl;

  // v = 0 within two cells (2h = 0.125) of the boundary.
  const LA::Vector v = interpolate(
    field,
    "(x > 0.2 && x < 0.8 && y > 0.2 && y < 0.8) ? "
    "(x - 0.2)^2 * (0.8 - x)^2 * (y - 0.2)^2 * (0.8 - y)^2 * 1e4 : 0");
  LA::Vector Pv = m;
  regularization.hessian_vmult(m, v, Pv);
  LA::Vector Wv = lumped_mass(field.dof_handler(), field.constraints());
  Wv.scale(v);
  Pv.add(alpha / (4. * l * l), Wv);
  LA::Vector back = m;
  regularization.apply_preconditioner_inverse(Pv, back);
  back -= v;
  testing::log() << "H2 preconditioner: P^-1 (P v) = v to 1e-8: "
                 << testing::yes_no(back.linfty_norm() < 1e-8 * v.linfty_norm())
                 << std::endl;
}



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  for (const std::string type : {"L2", "H1", "H2", "TV"})
    taylor(type);
  h2_exactness();
  return 0;
}
