#ifndef mollifem_mesh_mesh_h
#define mollifem_mesh_mesh_h

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <deal.II/grid/tria.h>

#include <memory>
#include <string>

namespace mollifem
{
  using namespace dealii;

  /**
   * Parameters of subsection `Mesh`: the coarse mesh (a GridGenerator shape
   * or a mesh file), its global refinement, and a region refined further so
   * that the mesh has hanging nodes from the start.
   */
  struct MeshParameters
  {
    /// Name of a GridGenerator function, e.g. hyper_cube or hyper_ball.
    std::string grid_generator = "hyper_cube";

    /// Arguments of that function, separated by colons.
    std::string grid_arguments = "0 : 1 : false";

    /// A mesh file read by GridIn instead of the generator, if not empty.
    std::string mesh_file;

    /// Number of global refinements of the coarse mesh.
    unsigned int initial_global_refinement = 4;

    /// Cells whose center makes this expression positive are refined.
    std::string refinement_region = "0";

    /// How often the region is refined after the global refinement.
    unsigned int local_refinement_steps = 0;

    static void
    declare_parameters(ParameterHandler &prm);

    /// Read the values and check them for a mesh in @p dim dimensions
    /// (ExcParameter, ExcFile).
    void
    parse_parameters(ParameterHandler &prm, const unsigned int dim);
  };

  /**
   * An empty triangulation that fits the dimension and the communicator:
   * parallel::distributed::Triangulation (p4est) in 2D and 3D, and in 1D,
   * which p4est does not support, a parallel::shared::Triangulation, which
   * keeps the whole mesh on every rank and partitions its cells.
   */
  template <int dim>
  std::unique_ptr<Triangulation<dim>>
  make_triangulation(const MPI_Comm communicator);

  /**
   * Build the mesh described by @p parameters in @p triangulation, refined
   * globally @p additional_global_refinement more times than the parameters
   * ask (synthetic data are made on such a finer mesh).
   */
  template <int dim>
  void
  create_mesh(const MeshParameters &parameters,
              Triangulation<dim> &  triangulation,
              const unsigned int    additional_global_refinement = 0);
} // namespace mollifem

#endif
