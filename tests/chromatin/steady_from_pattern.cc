// The trap of card B3 in the pattern-forming regime (A = 10), and its way
// out (Solver/Pseudo time step, with Stage 2/Initial state = data).
// - The observed pattern: the steady state reached from a small
//   perturbation by pseudo-transient continuation (the model's own
//   dynamics, with growing implicit Euler steps). It is a pattern (standard
//   deviation of phi_d above 0.2) and steady (a second solve from it takes
//   at most two Newton steps).
// - Newton's method alone from zero ends far from it (or fails): the steady
//   problem has many solutions.
// - From the pattern perturbed by noise-like wiggles (what a forward solve
//   of stage 2 starts from), the continuation returns to it (correlation
//   above 0.999), and with a changed coefficient (an optimizer's trial
//   step) to a nearby steady pattern (correlation above 0.9).
#include <deal.II/numerics/vector_tools.h>

#include <mollifem/coefficient/expression_coefficient.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/models/chromatin.h>
#include <mollifem/models/state_solver.h>

#include "../tests.h"
#include "chromatin.h"

using namespace dealii;
using namespace mollifem;

namespace
{
  /// Correlation of the phi_d entries (even components) of two states, and
  /// the standard deviation of the first.
  std::pair<double, double>
  compare(const StateSolver<2> &solver, const LA::Vector &a, const LA::Vector &b)
  {
    const auto &                         dofs = solver.dof_handler();
    const auto &                         fe   = dofs.get_fe();
    std::vector<types::global_dof_index> indices(fe.n_dofs_per_cell());
    double sa = 0., sb = 0., saa = 0., sbb = 0., sab = 0., n = 0.;
    const IndexSet &owned = a.locally_owned_elements();
    std::vector<bool> seen(dofs.n_dofs(), false);
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          cell->get_dof_indices(indices);
          for (unsigned int i = 0; i < indices.size(); ++i)
            if (fe.system_to_component_index(i).first == 0 &&
                owned.is_element(indices[i]) && !seen[indices[i]])
              {
                seen[indices[i]] = true;
                const double x = a[indices[i]], y = b[indices[i]];
                sa += x;
                sb += y;
                saa += x * x;
                sbb += y * y;
                sab += x * y;
                n += 1.;
              }
        }
    const MPI_Comm c = MPI_COMM_WORLD;
    n                = Utilities::MPI::sum(n, c);
    sa               = Utilities::MPI::sum(sa, c) / n;
    sb               = Utilities::MPI::sum(sb, c) / n;
    saa              = Utilities::MPI::sum(saa, c) / n - sa * sa;
    sbb              = Utilities::MPI::sum(sbb, c) / n - sb * sb;
    sab              = Utilities::MPI::sum(sab, c) / n - sa * sb;
    return {sab / std::sqrt(saa * sbb), std::sqrt(saa)};
  }
} // namespace

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const ChromatinModel<2> model = testing::chromatin_model(
    "    set Problem = steady\n"
    "    set Double-well strength = 10\n"
    "    set Interface length = 0.05\n"
    "    set Nucleoplasm fraction = 0.2\n"
    "    set Initial condition = -0.3 + 0.05*cos(5*pi*x)*cos(4*pi*y) + "
    "0.05*sin(11*x*y)\n");

  auto triangulation = testing::unit_square(5);
  const ExpressionCoefficient<2> lambda("0.5 + 0.2*x", "lambda");

  SolverParameters parameters;
  parameters.linear_solver    = "direct";
  parameters.pseudo_time_step = 0.01;
  StateSolver<2> solver(model, *triangulation, parameters);
  solver.set_coefficient(lambda);

  // The observed pattern, from the perturbed initial condition.
  LA::Vector owned = solver.make_owned_vector();
  VectorTools::interpolate(solver.mapping(),
                           solver.dof_handler(),
                           *model.initial_condition(),
                           owned);
  LA::Vector state = solver.make_ghosted_vector();
  state            = owned;
  solver.solve_steady(state);
  LA::Vector pattern = solver.make_owned_vector();
  pattern            = state;
  testing::log() << "steady pattern from a perturbation: standard deviation "
                    "of phi_d above 0.2: "
                 << testing::yes_no(compare(solver, pattern, pattern).second >
                                    0.2)
                 << std::endl;
  const unsigned int before = solver.statistics().n_newton_iterations;
  solver.solve_steady(state);
  testing::log() << "  steady (a second solve takes at most two Newton "
                    "steps): "
                 << testing::yes_no(solver.statistics().n_newton_iterations -
                                      before <=
                                    2)
                 << std::endl;

  {
    SolverParameters newton_only = parameters;
    newton_only.pseudo_time_step = 0.;
    StateSolver<2> newton(model, *triangulation, newton_only);
    newton.set_coefficient(lambda);
    LA::Vector zero      = newton.make_ghosted_vector();
    bool       converged = true;
    try
      {
        newton.solve_steady(zero);
      }
    catch (const ExceptionBase &)
      {
        converged = false;
      }
    owned = zero;
    testing::log() << "Newton's method from zero: "
                   << (!converged ||
                           compare(newton, owned, pattern).first < 0.5 ?
                         "far from the pattern or no convergence" :
                         "the pattern")
                   << std::endl;
  }

  // Wiggles on phi_d, with the same and with a changed coefficient.
  const ExpressionCoefficient<2> changed("0.55 + 0.15*x*y", "lambda");
  for (const bool change : {false, true})
    {
      owned = pattern;
      for (const auto i : owned.locally_owned_elements())
        owned[i] += 0.03 * std::sin(37. * i);
      owned.compress(VectorOperation::insert);
      state = owned;
      solver.set_coefficient(change ? changed : lambda);
      solver.solve_steady(state);
      owned = state;
      const double threshold = change ? 0.9 : 0.999;
      testing::log() << "from the perturbed pattern, "
                     << (change ? "another" : "the same")
                     << " coefficient: correlation with the pattern above "
                     << threshold << ": "
                     << testing::yes_no(compare(solver, owned, pattern).first >
                                        threshold)
                     << std::endl;
    }
  return 0;
}
