#ifndef mollifem_mesh_mesh_h
#define mollifem_mesh_mesh_h

#include <deal.II/base/mpi.h>
#include <deal.II/base/parameter_handler.h>

#include <deal.II/fe/fe.h>

#include <deal.II/grid/tria.h>

#include <deal.II/lac/vector.h>

#include <mollifem/base/linear_algebra.h>

#include <memory>
#include <string>
#include <vector>

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

    /// How often the inversion mesh is refined where the mollified data
    /// change fast, once the data exist (Study::adapt_mesh_to_data()).
    unsigned int adaptive_refinement_steps = 0;

    /// The fraction of the cells refined in each adaptive step.
    double adaptive_refinement_fraction = 0.3;

    /// Radius of the mollifier that smooths the data for the indicator.
    double adaptive_refinement_radius = 0.05;

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

  /**
   * Refine the @p fraction of the locally owned and all other cells with the
   * largest @p indicators (one per active cell, those of cells this rank does
   * not own ignored) on a distributed, shared or serial @p triangulation, and
   * nothing else: no coarsening.
   */
  template <int dim>
  void
  refine_largest(Triangulation<dim> & triangulation,
                 const Vector<float> &indicators,
                 const double         fraction);

  /**
   * The smallest box (lower and upper corner) that holds the locally owned
   * cells of all ranks of a distributed, shared or serial @p triangulation.
   * Collective.
   */
  template <int dim>
  std::pair<Point<dim>, Point<dim>>
  bounding_box(const Triangulation<dim> &triangulation);

  /**
   * The CellId of every cell, on any rank, that is flagged for refinement
   * (after Triangulation::prepare_coarsening_and_refinement()), sorted, the
   * same on every rank: with refine_cells() it replays a refinement on any
   * number of ranks. Collective.
   */
  template <int dim>
  std::vector<std::string>
  flagged_cells(const Triangulation<dim> &triangulation);

  /// Refine the cells named in @p cells (CellId strings, as
  /// flagged_cells() gives them). Collective.
  template <int dim>
  void
  refine_cells(Triangulation<dim> &triangulation,
               const std::vector<std::string> &cells);

  /**
   * refine_largest(), carrying the finite element fields @p fields across:
   * each holds, on input, the locally owned entries of a field of @p fe on
   * @p triangulation in the numbering DoFHandler::distribute_dofs() gives,
   * and on return the same on the refined mesh, with the hanging nodes set
   * from their constraints. Refinement interpolates, so fields that the
   * coarse mesh represents are carried over exactly. Uses deal.II's
   * parallel::distributed::SolutionTransfer on a distributed triangulation
   * and SolutionTransfer (on the gathered field) otherwise. If
   * @p refined_cells is given, it receives flagged_cells() of the
   * refinement. Collective.
   */
  template <int dim>
  void
  refine_largest(Triangulation<dim> &             triangulation,
                 const Vector<float> &            indicators,
                 const double                     fraction,
                 const FiniteElement<dim> &       fe,
                 const std::vector<LA::Vector *> &fields,
                 std::vector<std::string> *       refined_cells = nullptr);

  /**
   * The CellIds (as strings) of the active cells of all ranks of a
   * distributed, shared or serial @p triangulation, sorted, the same on
   * every rank. Collective.
   */
  template <int dim>
  std::vector<std::string>
  active_cell_names(const Triangulation<dim> &triangulation);

  /**
   * The lowest refinement level of the active cells of all ranks of
   * @p triangulation (how often every cell has at least been refined from
   * the coarse mesh). Collective.
   */
  template <int dim>
  unsigned int
  lowest_active_level(const Triangulation<dim> &triangulation);

  /**
   * The mesh one level coarser than the one whose active cells are @p cells
   * (as active_cell_names() gives them): every family of active cells
   * replaced by its parent; cells whose siblings are refined, and coarse
   * cells, stay. Depends on @p cells only, not on a partition.
   */
  template <int dim>
  std::vector<std::string>
  coarser_cells(const std::vector<std::string> &cells);

  /**
   * Refine @p triangulation, step by step, until the cells named in
   * @p cells are active: every active cell that is a proper ancestor of one
   * of them is refined (the mesh's smoothing may refine more). If @p fe is
   * given, the fields @p fields of @p fe are carried across as
   * refine_largest() does. The result depends on @p cells and the
   * triangulation's coarse mesh, not on the partition. Collective.
   */
  template <int dim>
  void
  refine_to(Triangulation<dim> &             triangulation,
            const std::vector<std::string> &cells,
            const FiniteElement<dim> *       fe     = nullptr,
            const std::vector<LA::Vector *> &fields = {});

  /**
   * The coarse mesh of subsection Mesh (a GridGenerator shape or a mesh
   * file, with its manifolds and boundary ids), without any refinement, in
   * the empty @p triangulation.
   */
  template <int dim>
  void
  create_coarse_mesh(const MeshParameters &parameters,
                     Triangulation<dim> &  triangulation);
} // namespace mollifem

#endif
