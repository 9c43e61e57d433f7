// Transient heat du/dt - div(k grad u) = f with k = 1 + xy and the
// manufactured solution u = (1 + t) sin(pi x) sin(pi y), which is linear in
// time: both time schemes are exact in time for it, so the error at t = 1 is
// the spatial error alone. Checks the L2 and H1 rates p+1 and p for degrees
// p = 1, 2, with implicit Euler and Crank-Nicolson, on meshes with hanging
// nodes.

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

class Exact : public Function<2>
{
public:
  double
  value(const Point<2> &p, const unsigned int = 0) const override
  {
    return (1 + get_time()) * std::sin(numbers::PI * p[0]) *
           std::sin(numbers::PI * p[1]);
  }
  Tensor<1, 2>
  gradient(const Point<2> &p, const unsigned int = 0) const override
  {
    const double pi = numbers::PI;
    return (1 + get_time()) *
           Tensor<1, 2>({pi * std::cos(pi * p[0]) * std::sin(pi * p[1]),
                         pi * std::sin(pi * p[0]) * std::cos(pi * p[1])});
  }
};

void
run(const unsigned int degree, const std::string &scheme)
{
  ParameterHandler prm;
  HeatModel<2>::declare_parameters(prm);
  TimeParameters::declare_parameters(prm);
  prm.parse_input_from_string(
    "subsection Model\n"
    "  subsection Heat\n"
    "    set Problem = transient\n"
    "    set Finite element degree = " + std::to_string(degree) + "\n"
    "    set Source = sin(pi*x)*sin(pi*y) + (1+t)*(2*pi^2*(1+x*y)*sin(pi*x)*sin(pi*y)"
    " - pi*(y*cos(pi*x)*sin(pi*y) + x*sin(pi*x)*cos(pi*y)))\n"
    "    set Initial condition = sin(pi*x)*sin(pi*y)\n"
    "    set Dirichlet boundary ids = 0\n"
    "    set Dirichlet value = (1+t)*sin(pi*x)*sin(pi*y)\n"
    "  end\n"
    "end\n"
    "subsection Time\n"
    "  set End time = 1\n"
    "  set Time step = 0.25\n"
    "  set Scheme = " + scheme + "\n"
    "end\n");
  const HeatModel<2> model(prm);
  TimeParameters     time;
  time.parse_parameters(prm);
  const ExpressionCoefficient<2> k("1 + x*y", "k");
  SolverParameters               solver_parameters;
  solver_parameters.linear_tolerance = 1e-13;

  MeshParameters mesh;
  mesh.refinement_region      = "y < 0.5";
  mesh.local_refinement_steps = 1;

  testing::log() << "FE_Q(" << degree << "), " << scheme << std::endl;
  std::vector<double> l2, h1;
  for (unsigned int cycle = 0; cycle < 4; ++cycle)
    {
      mesh.initial_global_refinement = 2 + cycle;
      auto triangulation = make_triangulation<2>(MPI_COMM_WORLD);
      create_mesh(mesh, *triangulation);

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

      Exact exact;
      exact.set_time(time.end_time);
      Vector<float>   cell_errors(triangulation->n_active_cells());
      const QGauss<2> quadrature(degree + 2);
      VectorTools::integrate_difference(solver.mapping(), solver.dof_handler(),
                                        final_state, exact, cell_errors,
                                        quadrature, VectorTools::L2_norm);
      l2.push_back(VectorTools::compute_global_error(*triangulation,
                                                     cell_errors,
                                                     VectorTools::L2_norm));
      VectorTools::integrate_difference(solver.mapping(), solver.dof_handler(),
                                        final_state, exact, cell_errors,
                                        quadrature, VectorTools::H1_seminorm);
      h1.push_back(VectorTools::compute_global_error(*triangulation,
                                                     cell_errors,
                                                     VectorTools::H1_seminorm));
      testing::log() << "  " << solver.dof_handler().n_dofs()
                     << " unknowns: L2 error " << testing::format(l2.back())
                     << ", H1 error " << testing::format(h1.back());
      if (cycle > 0)
        testing::log() << ", rates " << testing::rate(l2[cycle - 1], l2[cycle])
                       << " " << testing::rate(h1[cycle - 1], h1[cycle]);
      testing::log() << std::endl;
    }
  const double l2_rate = std::log2(l2[2] / l2[3]);
  const double h1_rate = std::log2(h1[2] / h1[3]);
  testing::log() << "  L2 rate within 0.2 of " << degree + 1 << ": "
                 << testing::yes_no(std::abs(l2_rate - (degree + 1)) < 0.2)
                 << "\n  H1 rate within 0.2 of " << degree << ": "
                 << testing::yes_no(std::abs(h1_rate - degree) < 0.2)
                 << std::endl;
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  for (const unsigned int degree : {1, 2})
    for (const std::string scheme : {"implicit Euler", "Crank-Nicolson"})
      run(degree, scheme);
}
