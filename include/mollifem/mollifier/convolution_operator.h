#ifndef mollifem_mollifier_convolution_operator_h
#define mollifem_mollifier_convolution_operator_h

#include <deal.II/base/index_set.h>
#include <deal.II/base/point.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/mapping.h>

#include <mollifem/base/linear_algebra.h>
#include <mollifem/mollifier/differential_operator.h>
#include <mollifem/mollifier/kernel.h>
#include <mollifem/mollifier/mollifier_parameters.h>
#include <mollifem/mollifier/targets.h>

#include <memory>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * The mollifier layer as a linear operator: for targets $x_t$ (the rows)
   * and a source field $u$ (the columns: the DoFs of a finite element
   * field, or scattered data points), the mollified values
   * $$(L u)_\delta(x_t) = \sum_{y} w_y\, \psi_L(x_t, y)\, u(y)$$
   * for each requested differential operator $L$ (value, any partial
   * derivative up to order 4, Laplacian, bi-Laplacian). The sum runs over
   * quadrature points $y$ (weights $w_y$) of the cells that meet the kernel
   * ball, or over the data points in it.
   *
   * The weights are the analytic derivative kernel plus a moment
   * correction,
   * $$\psi_L(x, y) = (L\eta_h)(x - y) + \omega\big(\tfrac{y-x}{h}\big)\,
   *   p(y)^T c_L(x),$$
   * with $p$ a basis of the polynomials of total degree at most $m$
   * (products of Legendre polynomials on the box of the kernel ball cut by
   * the domain's bounding box, which keeps the moment matrix well
   * conditioned at boundaries and corners), $\omega(z) = (1-|z|^2)^2$ a
   * weight that spreads the correction over the ball, and $c_L(x)$ solving
   * $M(x) c_L = r_L - \mu_L$, where
   * $M(x) = \sum_y w_y \omega p p^T$, $\mu_L = \sum_y w_y (L\eta_h) p$ and
   * $r_L = (Lp)(x)$. Then
   * $\sum_y w_y \psi_L(x,y) P(y) = (LP)(x)$ for every polynomial $P$ of
   * degree at most $m$, whether or not the ball leaves the domain: the
   * boundary-aware kernel. In the interior with $m = \mathrm{order}(L) + 1$
   * (the default) the correction only removes quadrature error, and
   * $\psi_L$ is the analytic derivative kernel. With the plain treatment
   * $c_L = 0$: the kernel truncated at the boundary.
   *
   * Error: for a smooth field, $O(\delta^{m+1-k})$ for a derivative of
   * order $k$ (tests/mollifier/convergence.cc); the noise amplification
   * grows like $\delta^{-k}$ and with $m$.
   *
   * Kernels: the derivatives of Friedrichs' bump have steep, large lobes
   * near the edge of the support; integrated by quadrature they need many
   * points per radius (the correction keeps polynomials exact whatever the
   * quadrature). The polynomial kernel is far gentler for third and fourth
   * derivatives.
   *
   * Quadrature: Gauss rules of degree + 1 points per direction, on cells
   * subdivided until there are at least `Quadrature points per radius`
   * points per kernel radius.
   *
   * Parallel: a target's ball may reach cells of any rank. Targets are sent
   * to the ranks whose cells they might meet (bounding boxes), those
   * return partial moments, the target's owner solves for $c_L$ and returns
   * it, and they return their parts of the target's rows. The operator is
   * then one Trilinos matrix per output, rows distributed as the targets,
   * columns as the source DoFs, and applying it is a matrix-vector product.
   * Targets are processed in batches to bound the memory of the moment
   * systems.
   */
  template <int dim>
  class ConvolutionOperator
  {
  public:
    /// Sizes of the assembled operator, summed over ranks.
    struct Statistics
    {
      /// Number of targets (rows).
      types::global_dof_index n_targets = 0;
      /// (target, cell) or (target, data point) pairs visited.
      types::global_dof_index n_pairs = 0;
      /// Nonzero entries per output matrix.
      types::global_dof_index n_nonzeros = 0;
      /// Largest number of nonzeros in a row.
      unsigned int max_row_length = 0;
      /// Smallest number of quadrature or data points in a kernel ball.
      unsigned int min_points_in_ball = 0;
    };

    /**
     * @param parameters kernel, bandwidth, boundary treatment, quadrature.
     * @param outputs the operators $L$, e.g. value and laplacian.
     */
    ConvolutionOperator(const MollifierParameters &                   parameters,
                        const std::vector<DifferentialOperator<dim>> &outputs);

    /**
     * Assemble the operator for a scalar finite element field on
     * @p dof_handler (any mesh, with hanging nodes: the columns are the
     * DoFs, with the hanging-node constraints resolved, so that the source
     * vector's values at constrained DoFs do not matter). Collective.
     */
    void
    reinit(const DoFHandler<dim> &dof_handler,
           const Targets<dim> &   targets,
           const Mapping<dim> &   mapping);

    /**
     * Assemble the operator for scattered data: values at @p data_points
     * with quadrature weights @p weights (the volume each point represents;
     * the moment correction makes the result exact on polynomials whatever
     * the weights). Both lists are the same on every rank; the columns are
     * the points, distributed in contiguous blocks. Collective.
     */
    void
    reinit(const std::vector<Point<dim>> &data_points,
           const std::vector<double> &    weights,
           const Targets<dim> &           targets);

    /**
     * Apply the operator for scattered data once, without assembling it:
     * results[s][o] = output o applied to the data values @p snapshots[s]
     * (all values, the same on every rank), with the rows of @p targets.
     * The same numbers as reinit() and apply(), in memory of the size of a
     * kernel ball rather than of the whole operator; with no snapshots it
     * only checks that every moment problem is solvable. Collective.
     */
    void
    convolve(const std::vector<Point<dim>> &          data_points,
             const std::vector<double> &              weights,
             const Targets<dim> &                     targets,
             const std::vector<std::vector<double>> &snapshots,
             std::vector<std::vector<LA::Vector>> &   results);

    unsigned int
    n_outputs() const;

    const DifferentialOperator<dim> &
    output(const unsigned int index) const;

    /// The polynomial degree m that the corrected kernel of output
    /// @p index reproduces.
    unsigned int
    reproduction_degree(const unsigned int index) const;

    /// result = operator @p index applied to @p source (a vector with the
    /// column partitioning, without ghosts); @p result gets the row
    /// partitioning. Collective.
    void
    apply(const unsigned int index,
          const LA::Vector & source,
          LA::Vector &       result) const;

    const LA::SparseMatrix &
    matrix(const unsigned int index) const;

    /// The columns owned by this rank: the source's locally owned DoFs or
    /// data points.
    const IndexSet &
    column_partitioning() const;

    /// The rows owned by this rank: the targets.
    const IndexSet &
    row_partitioning() const;

    const Statistics &
    statistics() const;

  private:
    /// Radii per axis at a target with local cell size @p h.
    Point<dim>
    radii(const double cell_size) const;

    /// The rows for scattered data, target by target: calls
    /// row_function(t, data point indices, psi) with psi[q * n_outputs + o].
    /// Without @p need_rows only the moment problems are solved (a check).
    template <typename RowFunction>
    void
    for_each_point_row(const std::vector<Point<dim>> &data_points,
                       const std::vector<double> &    weights,
                       const Targets<dim> &           targets,
                       const RowFunction &            row_function,
                       const bool                     need_rows = true);

    /// Fill the matrices from the rows (this rank's targets); the rows are
    /// freed as they are copied.
    void
    build_matrices(
      std::vector<std::vector<std::vector<
        std::pair<types::global_dof_index, double>>>> &rows,
      const MPI_Comm                                   communicator);

    const MollifierParameters                    parameters;
    const std::vector<DifferentialOperator<dim>> outputs;
    const Kernel<dim>                            kernel;
    const std::vector<unsigned int>              degrees;

    IndexSet                                       rows;
    IndexSet                                       columns;
    std::vector<std::unique_ptr<LA::SparseMatrix>> matrices;
    Statistics                                     stats;
  };
} // namespace mollifem

#endif
