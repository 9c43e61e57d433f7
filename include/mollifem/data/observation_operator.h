#ifndef mollifem_data_observation_operator_h
#define mollifem_data_observation_operator_h

#include <deal.II/base/mpi.h>
#include <deal.II/base/mpi_remote_point_evaluation.h>
#include <deal.II/base/point.h>

#include <deal.II/dofs/dof_handler.h>

#include <deal.II/fe/mapping.h>

#include <deal.II/grid/tria.h>

#include <deal.II/lac/affine_constraints.h>

#include <mollifem/base/linear_algebra.h>

#include <functional>
#include <memory>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * The pointwise observation operator $B$: the values $(Bu)_j = u_c(x_j)$
   * of one component $c$ of a finite element field at a fixed set of points
   * $x_j$, and its transpose.
   *
   * Every rank knows all points and all results; each rank asks for a
   * contiguous block of the points, and deal.II's
   * Utilities::MPI::RemotePointEvaluation finds the cells (owned by any rank)
   * that contain them. A point on a face shared by m cells is evaluated as
   * the average of the m cell values (equal for continuous fields), and the
   * transpose gives each of these cells 1/m of the point's weight, so that
   * $B$ is a well-defined matrix and the transpose is exact.
   */
  template <int dim>
  class ObservationOperator
  {
  public:
    /**
     * @param points All observation points, the same on every rank.
     * @param communicator The ranks that share the points and the mesh.
     */
    ObservationOperator(const std::vector<Point<dim>> &points,
                        const MPI_Comm                 communicator);

    /**
     * Locate the points in @p triangulation. Collective. The fields
     * evaluated later must live on this triangulation.
     */
    void
    reinit(const Triangulation<dim> &triangulation, const Mapping<dim> &mapping);

    /**
     * The indices of the points that lie in no cell, the same on every rank.
     */
    std::vector<unsigned int>
    points_not_found() const;

    /**
     * $Bu$ at all points, on every rank: the values of component
     * @p component of the field @p ghosted_vector on @p dof_handler.
     * @p ghosted_vector must hold the locally relevant entries. Collective.
     */
    std::vector<double>
    evaluate(const DoFHandler<dim> &dof_handler,
             const LA::Vector &     ghosted_vector,
             const unsigned int     component = 0) const;

    /**
     * dual += $B^T w$, assembled through @p constraints (so that it is the
     * transpose with respect to the unconstrained degrees of freedom).
     * @p weights holds one entry per point, the same on every rank.
     * @p dual is an owned vector; the call compresses it. Collective.
     */
    void
    add_transpose(const DoFHandler<dim> &           dof_handler,
                  const std::vector<double> &       weights,
                  const AffineConstraints<double> & constraints,
                  LA::Vector &                      dual,
                  const unsigned int                component = 0) const;

    unsigned int
    n_points() const;

    /**
     * For every point (all of them, on every rank) the smallest value of
     * @p cell_function over the active cells that contain it, e.g. the
     * local cell size. Collective.
     */
    std::vector<double>
    min_over_cells(
      const std::function<
        double(const typename Triangulation<dim>::active_cell_iterator &)>
        &cell_function) const;

  private:
    const std::vector<Point<dim>> points;
    const MPI_Comm                communicator;

    /// This rank's block of the points is [first_point, end_point).
    unsigned int first_point;
    unsigned int end_point;

    std::unique_ptr<Utilities::MPI::RemotePointEvaluation<dim>> locator;
    const Mapping<dim> *                                        mapping;

    /// For every point of this rank's block, the number of active cells
    /// (owned by any rank) that contain it.
    std::vector<unsigned int> n_cells_of_point;
  };
} // namespace mollifem

#endif
