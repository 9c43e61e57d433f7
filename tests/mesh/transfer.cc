// The transfer of finite element fields across refinement
// (refine_largest() with fields): a field the coarse mesh represents (a
// polynomial in the element's space) is carried over exactly, through two
// refinement cycles with hanging nodes, for Q1 and Q2 in 1D (shared
// triangulation), 2D and 3D (p4est); a field it does not represent keeps
// its coarse interpolant, which differs from the fine one. The same on 1
// and 2 ranks.

#include <deal.II/base/function_parser.h>
#include <deal.II/base/mpi.h>

#include <deal.II/dofs/dof_handler.h>

#include <deal.II/fe/fe_q.h>

#include <deal.II/grid/grid_generator.h>

#include <deal.II/numerics/vector_tools.h>

#include <mollifem/mesh/mesh.h>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

template <int dim>
double
max_difference(const DoFHandler<dim> &dofs,
               const LA::Vector &     transferred,
               const Function<dim> &  function)
{
  LA::Vector interpolated(dofs.locally_owned_dofs(), dofs.get_communicator());
  VectorTools::interpolate(dofs, function, interpolated);
  interpolated -= transferred;
  return interpolated.linfty_norm();
}



template <int dim>
void
check(const unsigned int degree)
{
  auto triangulation = make_triangulation<dim>(MPI_COMM_WORLD);
  GridGenerator::hyper_cube(*triangulation);
  triangulation->refine_global(dim == 1 ? 3 : (dim == 2 ? 2 : 1));
  const FE_Q<dim> fe(degree);
  // A polynomial of the element's space in every coordinate, and a field
  // that no mesh here represents.
  const FunctionParser<dim> represented(
    dim == 1 ? (degree == 1 ? "1 + 2*x" : "1 + 2*x - 3*x^2") :
               (dim == 2 ? (degree == 1 ? "1 + x - 2*y + 3*x*y" :
                                          "x^2*y^2 - x*y^2 + 2*x^2 + y") :
                           (degree == 1 ? "1 + x*y*z - y" :
                                          "x^2*y^2*z^2 + x*z - y^2")));
  const FunctionParser<dim> unrepresented(
    dim == 1 ? "sin(5*x)" : (dim == 2 ? "sin(5*x)*cos(3*y)" : "sin(5*x)*cos(3*y)*z"));

  DoFHandler<dim> dofs(*triangulation);
  dofs.distribute_dofs(fe);
  LA::Vector first(dofs.locally_owned_dofs(), MPI_COMM_WORLD);
  LA::Vector second(first);
  VectorTools::interpolate(dofs, represented, first);
  VectorTools::interpolate(dofs, unrepresented, second);
  const unsigned int n_cells = triangulation->n_global_active_cells();

  for (unsigned int cycle = 0; cycle < 2; ++cycle)
    {
      // Refine where a skew linear function of the centre is largest:
      // distinct values, so that every rank flags the same cells.
      Vector<float> indicators(triangulation->n_active_cells());
      for (const auto &cell : triangulation->active_cell_iterators())
        if (cell->is_locally_owned())
          {
            const Point<dim> c = cell->center();
            double           v = c[0];
            for (unsigned int d = 1; d < dim; ++d)
              v += (d == 1 ? 0.37 : 0.011) * c[d];
            indicators(cell->active_cell_index()) = v;
          }
      refine_largest(*triangulation, indicators, 0.3, fe, {&first, &second});
    }
  dofs.distribute_dofs(fe);
  const double exact   = max_difference(dofs, first, represented);
  const double coarse  = max_difference(dofs, second, unrepresented);
  testing::log() << dim << "D Q" << degree << ": " << n_cells << " -> "
                 << triangulation->n_global_active_cells() << " cells, "
                 << dofs.n_dofs() << " unknowns; represented field carried "
                 << "over exactly (max error < 1e-12): "
                 << testing::yes_no(exact < 1e-12)
                 << "; unrepresented field keeps its coarse interpolant "
                 << "(differs by > 1e-3): " << testing::yes_no(coarse > 1e-3)
                 << std::endl;
}



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  for (const unsigned int degree : {1u, 2u})
    {
      check<1>(degree);
      check<2>(degree);
      check<3>(degree);
    }
}
