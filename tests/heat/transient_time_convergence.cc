// Convergence in time of the theta schemes. The manufactured solution
// u = (x^2 + xy + y^2)(1 + sin 2t) of du/dt - div(k grad u) = f with
// k = 1 + x lies in the Q2 space at every time, so the Galerkin error in
// space vanishes and the error at t = 1 is the time-stepping error alone:
// rate 1 for implicit Euler, 2 for Crank-Nicolson (mesh with hanging nodes).

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature_lib.h>

#include <deal.II/numerics/vector_tools.h>

#include <mollifem/coefficient/expression_coefficient.h>
#include <mollifem/mesh/mesh.h>
#include <mollifem/models/heat.h>
#include <mollifem/models/state_solver.h>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

void
run(const std::string &scheme)
{
  const std::string exact_text = "(x^2 + x*y + y^2)*(1 + sin(2*t))";
  ParameterHandler  prm;
  HeatModel<2>::declare_parameters(prm);
  TimeParameters::declare_parameters(prm);
  // -div(k grad s) = -(6x + y + 4) for s = x^2 + xy + y^2 and k = 1 + x.
  prm.parse_input_from_string(
    "subsection Model\n"
    "  subsection Heat\n"
    "    set Problem = transient\n"
    "    set Finite element degree = 2\n"
    "    set Source = (x^2 + x*y + y^2)*2*cos(2*t) - (1 + sin(2*t))*(6*x + y + 4)\n"
    "    set Initial condition = x^2 + x*y + y^2\n"
    "    set Dirichlet boundary ids = 0\n"
    "    set Dirichlet value = " + exact_text + "\n"
    "  end\n"
    "end\n"
    "subsection Time\n"
    "  set Scheme = " + scheme + "\n"
    "end\n");
  const HeatModel<2>             model(prm);
  const ExpressionCoefficient<2> k("1 + x", "k");
  SolverParameters               solver_parameters;
  solver_parameters.linear_tolerance = 1e-14;

  MeshParameters mesh;
  mesh.initial_global_refinement = 2;
  mesh.refinement_region         = "x + y < 0.6";
  mesh.local_refinement_steps    = 1;
  auto triangulation             = make_triangulation<2>(MPI_COMM_WORLD);
  create_mesh(mesh, *triangulation);

  testing::log() << scheme << std::endl;
  std::vector<double> errors;
  for (const double dt : {0.1, 0.05, 0.025, 0.0125})
    {
      TimeParameters time;
      time.parse_parameters(prm);
      time.time_step = dt;

      StateSolver<2> solver(model, *triangulation, solver_parameters);
      solver.set_coefficient(k);
      LA::Vector final_state = solver.make_ghosted_vector();
      solver.solve_transient(time,
                             [&](const unsigned int step,
                                 const double,
                                 const LA::Vector &state) {
                               if (step == time.n_steps())
                                 final_state = state;
                             });
      Expression<2> exact(exact_text, "exact");
      exact.set_time(time.end_time);
      Vector<float> cell_errors(triangulation->n_active_cells());
      VectorTools::integrate_difference(solver.mapping(), solver.dof_handler(),
                                        final_state, exact, cell_errors,
                                        QGauss<2>(4), VectorTools::L2_norm);
      errors.push_back(VectorTools::compute_global_error(*triangulation,
                                                         cell_errors,
                                                         VectorTools::L2_norm));
      testing::log() << "  dt = " << dt << ": L2 error at t = 1 "
                     << testing::format(errors.back());
      if (errors.size() > 1)
        testing::log() << ", rate "
                       << testing::rate(errors[errors.size() - 2], errors.back());
      testing::log() << std::endl;
    }
  const unsigned int expected = (scheme == "implicit Euler") ? 1 : 2;
  testing::log() << "  rate within 0.1 of " << expected << ": "
                 << testing::yes_no(std::abs(std::log2(errors[2] / errors[3]) -
                                             expected) < 0.1)
                 << std::endl;
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  run("implicit Euler");
  run("Crank-Nicolson");
}
