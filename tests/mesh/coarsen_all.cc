// Grid sequencing's mesh hierarchy: coarser_cells() names the mesh with
// every family of cells coarsened once, refine_to() builds it from the
// coarse mesh and refines back up to the given mesh, carrying a field
// across. On meshes with hanging nodes (a region refined once more than the
// rest) in 1D (shared triangulation), 2D and 3D (p4est), two levels down and
// back up: the coarsest mesh built from the coarse mesh has the cells
// coarser_cells() named, and as many on any number of ranks (the hierarchy
// does not depend on the partition); the active cells refined back are
// those of the given mesh (their CellIds); the finest cells of the coarsest
// level are two levels coarser; and a field the coarsest mesh represents (a
// Q1 polynomial in every coordinate) interpolated there arrives on the
// given mesh exactly. The same on 1, 2 and 4 ranks.

#include <deal.II/base/function_parser.h>
#include <deal.II/base/mpi.h>

#include <deal.II/dofs/dof_handler.h>

#include <deal.II/fe/fe_q.h>

#include <deal.II/grid/grid_generator.h>

#include <deal.II/numerics/vector_tools.h>

#include <mollifem/mesh/mesh.h>

#include "../tests.h"

#include <algorithm>

using namespace dealii;
using namespace mollifem;

template <int dim>
unsigned int
finest_level(const Triangulation<dim> &triangulation)
{
  unsigned int level = 0;
  for (const auto &cell : triangulation.active_cell_iterators())
    if (cell->is_locally_owned())
      level = std::max<unsigned int>(level, cell->level());
  return Utilities::MPI::max(level, MPI_COMM_WORLD);
}



template <int dim>
void
check()
{
  auto triangulation = make_triangulation<dim>(MPI_COMM_WORLD);
  GridGenerator::hyper_cube(*triangulation);
  triangulation->refine_global(dim == 1 ? 4 : (dim == 2 ? 3 : 2));
  // One more level where x < 0.5: hanging nodes along x = 0.5 (the same
  // flags on every rank of the shared 1D mesh).
  for (const auto &cell : triangulation->active_cell_iterators())
    if ((cell->is_locally_owned() || dim == 1) && cell->center()[0] < 0.5)
      cell->set_refine_flag();
  triangulation->execute_coarsening_and_refinement();
  const std::vector<std::string> given = active_cell_names(*triangulation);
  const unsigned int             given_level = finest_level(*triangulation);

  std::vector<std::vector<std::string>> meshes = {given};
  for (unsigned int level = 0; level < 2; ++level)
    meshes.push_back(coarser_cells<dim>(meshes.back()));
  triangulation->clear();
  GridGenerator::hyper_cube(*triangulation);
  refine_to(*triangulation, meshes.back());
  const bool named   = (active_cell_names(*triangulation) == meshes.back());
  const bool fewer   = meshes[1].size() < meshes[0].size() &&
                     meshes[2].size() < meshes[1].size();
  const bool coarser = finest_level(*triangulation) + 2 == given_level;

  const FE_Q<dim>           fe(1);
  const FunctionParser<dim> represented(
    dim == 1 ? "1 + 2*x" :
               (dim == 2 ? "1 + x - 2*y + 3*x*y" : "1 + x*y*z - y"));
  DoFHandler<dim> dofs(*triangulation);
  dofs.distribute_dofs(fe);
  LA::Vector field(dofs.locally_owned_dofs(), MPI_COMM_WORLD);
  VectorTools::interpolate(dofs, represented, field);
  dofs.clear();
  for (unsigned int level = 2; level > 0; --level)
    refine_to(*triangulation, meshes[level - 1], &fe, {&field});
  const bool restored = (active_cell_names(*triangulation) == given);

  dofs.reinit(*triangulation);
  dofs.distribute_dofs(fe);
  LA::Vector interpolated(dofs.locally_owned_dofs(), MPI_COMM_WORLD);
  VectorTools::interpolate(dofs, represented, interpolated);
  interpolated -= field;
  testing::log() << dim << "D: " << meshes[0].size() << " -> "
                 << meshes[1].size() << " -> " << meshes[2].size()
                 << " cells; the coarsest built as named: "
                 << testing::yes_no(named)
                 << "; its finest cells two levels coarser: "
                 << testing::yes_no(coarser && fewer)
                 << "; refined back to the same cells: "
                 << testing::yes_no(restored)
                 << "; field carried up exactly (max error < 1e-12): "
                 << testing::yes_no(interpolated.linfty_norm() < 1e-12)
                 << std::endl;
}



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check<1>();
  check<2>();
  check<3>();
}
