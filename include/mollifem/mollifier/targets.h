#ifndef mollifem_mollifier_targets_h
#define mollifem_mollifier_targets_h

#include <deal.II/base/index_set.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/point.h>
#include <deal.II/base/quadrature.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/grid/tria.h>

#include <cmath>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * The points at which a convolution operator evaluates its outputs: the
   * rows of the operator. Each rank owns a set of rows (an IndexSet of the
   * global row numbers) and knows their points and the local cell size there
   * (for bandwidths that follow the mesh).
   *
   * Three kinds: the support points of a (scalar, Lagrange) finite element,
   * whose rows are the DoF indices, so that the output is a finite element
   * vector; the quadrature points of the locally owned cells; and arbitrary
   * points.
   */
  template <int dim>
  struct Targets
  {
    /// Global row numbers owned by this rank.
    IndexSet locally_owned_rows;

    /// The points of the owned rows, in the order of locally_owned_rows.
    std::vector<Point<dim>> points;

    /// The cell size $h$ (diameter over $\sqrt{d}$) at each point; at a point
    /// shared by several cells, the smallest of them.
    std::vector<double> cell_sizes;

    MPI_Comm communicator;

    /// Number of owned rows.
    unsigned int
    size() const
    {
      return points.size();
    }

    /**
     * The support points of the locally owned DoFs of @p dof_handler, whose
     * element must be scalar with support points (FE_Q). Row i is DoF i.
     */
    static Targets
    at_support_points(const DoFHandler<dim> &dof_handler,
                      const Mapping<dim> &   mapping);

    /**
     * The points of @p quadrature on every locally owned cell, numbered
     * consecutively over the ranks, cell by cell in the order of the active
     * cell iterators.
     */
    static Targets
    at_quadrature_points(const Triangulation<dim> &triangulation,
                         const Quadrature<dim> &   quadrature,
                         const Mapping<dim> &      mapping);

    /**
     * Given points, the same list on every rank; each rank owns a contiguous
     * block of them. Every point must lie in the mesh. Collective.
     */
    static Targets
    at_points(const std::vector<Point<dim>> &all_points,
              const Triangulation<dim> &     triangulation,
              const Mapping<dim> &           mapping);
  };

  /// The cell size used for bandwidths: diameter over $\sqrt{d}$ (the edge
  /// length of a square or cube).
  template <int dim, typename CellIterator>
  double
  cell_size(const CellIterator &cell)
  {
    return cell->diameter() / std::sqrt(double(dim));
  }
} // namespace mollifem

#endif
