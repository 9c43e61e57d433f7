#ifndef mollifem_inverse_heat_equation_error_h
#define mollifem_inverse_heat_equation_error_h

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/lac/affine_constraints.h>

#include <mollifem/base/linear_algebra.h>
#include <mollifem/mollifier/targets.h>

#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * Stage 1 of the inversion for the heat model: the mollified equation
   * error. The strong form of $\partial_t u = \nabla\cdot(k\nabla u) + f$ is
   * linear in the conductivity,
   * $$k\,\Delta u + \nabla k\cdot\nabla u = \partial_t u - f,$$
   * so with the mollified data $\tilde u$ (gradient, Laplacian and, for
   * transient data, time derivative at the quadrature points of the
   * parameter mesh) the conductivity $k_h = \sum_j k_j \varphi_j$ follows
   * from one regularized linear least-squares problem, without any forward
   * solve:
   * $$\min_k \tfrac12 \sum_{s}\sum_q w_q \big(k\Delta\tilde u_s +
   *   \nabla k\cdot\nabla\tilde u_s - \partial_t\tilde u_s + f\big)^2
   *   + \tfrac{\beta}{2}\|\nabla k\|^2 + \tfrac{\alpha}{2}\|k - k_0\|^2,$$
   * summed over snapshots s (of several experiments, each weighted). The normal equations are symmetric positive
   * definite; they are assembled with the hanging-node constraints of the
   * parameter space and solved by CG with AMG.
   *
   * Usage: build the targets (the quadrature points of the parameter mesh),
   * mollify the data there (ConvolutionOperator with outputs d/dx, ...,
   * laplacian), add_snapshot() for each snapshot, then solve().
   */
  template <int dim>
  class HeatEquationError
  {
  public:
    struct Settings
    {
      /// $\beta$: weight of $\|\nabla k\|^2$.
      double gradient_regularization = 1e-4;
      /// $\alpha$: weight of $\|k - k_0\|^2$.
      double l2_regularization = 1e-6;
      /// $k_0$, the reference conductivity of the L2 term.
      double reference = 1.;
    };

    HeatEquationError(const DoFHandler<dim> &          parameter_dofs,
                      const AffineConstraints<double> &constraints,
                      const Mapping<dim> &             mapping,
                      const Quadrature<dim> &          quadrature,
                      const Settings &                 settings);

    /// The points where the mollified data are needed: the quadrature
    /// points of the locally owned cells of the parameter mesh.
    const Targets<dim> &
    targets() const;

    /**
     * Add the equations of one snapshot. @p gradient holds dim vectors
     * (d/dx, d/dy, d/dz), @p laplacian one, all with the rows of targets();
     * @p time_derivative is null for steady data. @p source is $f$; its
     * time is set to @p time. The equations are weighted by @p weight (of
     * several experiments, for example, by the inverse of their noise
     * variances relative to the first).
     */
    void
    add_snapshot(const std::vector<LA::Vector> &gradient,
                 const LA::Vector &             laplacian,
                 const LA::Vector *             time_derivative,
                 Function<dim> &                source,
                 const double                   time   = 0.,
                 const double                   weight = 1.);

    /// Solve the normal equations; @p k gets the locally owned
    /// coefficients of $k_h$ (constraints distributed). Collective.
    void
    solve(LA::Vector &k);

    /// CG iterations of the last solve().
    unsigned int
    n_iterations() const;

  private:
    const DoFHandler<dim> &          dofs;
    const AffineConstraints<double> &constraints;
    const Mapping<dim> &             mapping;
    const Quadrature<dim>            quadrature;
    const Settings                   settings;
    Targets<dim>                     target_points;
    LA::SparseMatrix                 matrix;
    LA::Vector                       rhs;
    unsigned int                     iterations;
  };
} // namespace mollifem

#endif
