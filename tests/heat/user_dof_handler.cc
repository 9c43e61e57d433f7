// A StateSolver over a program's own DoFHandler (FE_Q(2), renumbered by
// Cuthill-McKee, on a mesh with hanging nodes): its states are vectors of
// that DoFHandler, in its numbering, and they are the solutions the solver
// finds with its own space: the same values at points, the same L2 error of
// a manufactured solution. A DoFHandler without degrees of freedom, or with
// the wrong number of components, is refused.

#include <deal.II/base/function_parser.h>
#include <deal.II/base/quadrature_lib.h>

#include <deal.II/dofs/dof_renumbering.h>

#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_system.h>

#include <deal.II/numerics/vector_tools.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/coefficient/expression_coefficient.h>
#include <mollifem/data/observation_operator.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/models/heat.h>
#include <mollifem/models/state_solver.h>

#include "../tests.h"
#include "manufactured.h"

using namespace dealii;
using namespace mollifem;

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const auto                     heat  = manufactured_heat_model(2);
  const HeatModel<2> &           model = *heat;
  const ExpressionCoefficient<2> k("1 + x*y", "k");
  SolverParameters               solver_parameters;
  solver_parameters.linear_tolerance = 1e-13;

  const auto triangulation = testing::square_with_hanging_nodes(3);

  // The solver's own space.
  StateSolver<2> own(model, *triangulation, solver_parameters);
  own.set_coefficient(k);
  LA::Vector u_own = own.make_ghosted_vector();
  own.solve_steady(u_own);

  // The program's space: the same element, another numbering.
  const FE_Q<2>  fe(2);
  DoFHandler<2>  dof_handler(*triangulation);
  dof_handler.distribute_dofs(fe);
  DoFRenumbering::Cuthill_McKee(dof_handler);
  StateSolver<2> user(model, dof_handler, solver_parameters);
  user.set_coefficient(k);
  LA::Vector u_user = user.make_ghosted_vector();
  user.solve_steady(u_user);

  const bool same_space = &user.dof_handler() == &dof_handler &&
                          u_user.size() == dof_handler.n_dofs() &&
                          u_user.locally_owned_elements() ==
                            dof_handler.locally_owned_dofs();
  bool renumbered = false;
  for (const auto &cell : dof_handler.active_cell_iterators())
    if (cell->is_locally_owned())
      {
        std::vector<types::global_dof_index> a(fe.n_dofs_per_cell()),
          b(fe.n_dofs_per_cell());
        cell->get_dof_indices(a);
        typename DoFHandler<2>::active_cell_iterator other(&*triangulation,
                                                           cell->level(),
                                                           cell->index(),
                                                           &own.dof_handler());
        other->get_dof_indices(b);
        renumbered = renumbered || a != b;
      }
  renumbered = Utilities::MPI::logical_or(renumbered, MPI_COMM_WORLD);

  // The same values at points, through each space.
  std::vector<Point<2>> points;
  for (unsigned int i = 0; i < 7; ++i)
    points.emplace_back(0.1 + 0.13 * i, 0.93 - 0.12 * i);
  ObservationOperator<2> observe_own(points, MPI_COMM_WORLD);
  observe_own.reinit(*triangulation, own.mapping());
  const std::vector<double> v_own  = observe_own.evaluate(own.dof_handler(), u_own);
  const std::vector<double> v_user = observe_own.evaluate(dof_handler, u_user);
  double difference = 0.;
  for (unsigned int i = 0; i < points.size(); ++i)
    difference = std::max(difference, std::abs(v_own[i] - v_user[i]));

  const auto l2_error = [&](const DoFHandler<2> &dofs, const LA::Vector &u) {
    Vector<float> cell_errors(triangulation->n_active_cells());
    VectorTools::integrate_difference(own.mapping(),
                                      dofs,
                                      u,
                                      FunctionParser<2>("sin(pi*x)*sin(pi*y)", "pi=3.141592653589793"),
                                      cell_errors,
                                      QGauss<2>(4),
                                      VectorTools::L2_norm);
    return VectorTools::compute_global_error(*triangulation,
                                             cell_errors,
                                             VectorTools::L2_norm);
  };
  const double e_own = l2_error(own.dof_handler(), u_own);
  const double e_user = l2_error(dof_handler, u_user);

  testing::log() << "the state lives in the program's DoFHandler: "
                 << testing::yes_no(same_space)
                 << "\nits numbering differs from the solver's own: "
                 << testing::yes_no(renumbered)
                 << "\nthe same values at 7 points to 1e-10: "
                 << testing::yes_no(difference < 1e-10)
                 << "\nthe same L2 error of the manufactured solution to 1e-10 "
                    "(and below 1e-3): "
                 << testing::yes_no(std::abs(e_own - e_user) < 1e-10 && e_user < 1e-3)
                 << std::endl;

  // Refusals.
  for (const unsigned int components : {0u, 2u})
    {
      DoFHandler<2>             bad(*triangulation);
      const FESystem<2>         two(FE_Q<2>(1), 2);
      if (components == 2)
        bad.distribute_dofs(two);
      try
        {
          StateSolver<2> refused(model, bad, solver_parameters);
          testing::log() << "not refused" << std::endl;
        }
      catch (const std::exception &e)
        {
          testing::log() << user_message(e) << std::endl;
        }
    }
  return 0;
}
