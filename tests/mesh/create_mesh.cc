// Meshes from the Mesh parameters: GridGenerator shapes with their argument
// strings in 1D, 2D and 3D (1D on a shared triangulation, 2D/3D on p4est), a
// UCD mesh file read through GridIn, and local refinement in a region given
// by an expression, which leaves hanging nodes. Prints global sizes and the
// domain volume, which do not depend on the number of ranks.

#include <deal.II/base/mpi.h>

#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe_q.h>

#include <deal.II/grid/grid_tools.h>

#include <deal.II/lac/affine_constraints.h>

#include <mollifem/mesh/mesh.h>

#include <fstream>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

template <int dim>
void
report(const std::string &name, const MeshParameters &parameters)
{
  auto triangulation = make_triangulation<dim>(MPI_COMM_WORLD);
  create_mesh(parameters, *triangulation);

  DoFHandler<dim> dof_handler(*triangulation);
  const FE_Q<dim> fe(1);
  dof_handler.distribute_dofs(fe);
  IndexSet relevant;
  DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);
  AffineConstraints<double> hanging(relevant);
  DoFTools::make_hanging_node_constraints(dof_handler, hanging);
  hanging.close();
  unsigned int n_constrained = 0;
  for (const auto i : dof_handler.locally_owned_dofs())
    if (hanging.is_constrained(i))
      ++n_constrained;
  n_constrained = Utilities::MPI::sum(n_constrained, MPI_COMM_WORLD);

  testing::log() << name << " (" << dim << "D): "
                 << triangulation->n_global_active_cells() << " cells, "
                 << dof_handler.n_dofs() << " Q1 unknowns, "
                 << n_constrained << " hanging, volume "
                 << testing::format(GridTools::volume(*triangulation), 6)
                 << std::endl;
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);

  MeshParameters parameters;
  parameters.initial_global_refinement = 3;
  report<1>("interval", parameters);
  report<2>("unit square", parameters);

  parameters.refinement_region      = "(x-0.5)^2 + (y-0.5)^2 < 0.1";
  parameters.local_refinement_steps = 2;
  report<2>("unit square, refined twice in a disk", parameters);
  parameters.refinement_region = "(x-0.5)^2 < 0.1";
  report<1>("interval, refined twice near 0.5", parameters);

  parameters.grid_generator            = "hyper_ball";
  parameters.grid_arguments            = "0, 0 : 1 : true";
  parameters.initial_global_refinement = 2;
  parameters.local_refinement_steps    = 0;
  report<2>("ball of radius 1", parameters);

  parameters.grid_generator = "subdivided_hyper_rectangle";
  parameters.grid_arguments = "2, 1, 1 : 0, 0, 0 : 2, 1, 1 : false";
  parameters.initial_global_refinement = 1;
  parameters.refinement_region         = "x > 1";
  parameters.local_refinement_steps    = 1;
  report<3>("box 2 x 1 x 1, refined for x > 1", parameters);

  // Two unit squares side by side, as a UCD file. One rank writes it, the
  // others wait: several ranks writing the same file let a reader see it
  // half-written.
  if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
    std::ofstream("two_squares.inp")
      << "6 2 0 0 0\n"
         "1 0 0 0\n2 1 0 0\n3 2 0 0\n4 0 1 0\n5 1 1 0\n6 2 1 0\n"
         "1 0 quad 1 2 5 4\n2 0 quad 2 3 6 5\n";
  const int ierr = MPI_Barrier(MPI_COMM_WORLD);
  AssertThrowMPI(ierr);
  parameters                           = MeshParameters();
  parameters.mesh_file                 = "two_squares.inp";
  parameters.initial_global_refinement = 2;
  report<2>("UCD file with two squares", parameters);
}
