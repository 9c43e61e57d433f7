#ifndef mollifem_inverse_recovery_scores_h
#define mollifem_inverse_recovery_scores_h

#include <deal.II/base/function.h>
#include <deal.II/base/quadrature.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/mapping.h>

#include <mollifem/base/linear_algebra.h>
#include <mollifem/base/run_summary.h>
#include <mollifem/coefficient/coefficient.h>

namespace mollifem
{
  using namespace dealii;

  /**
   * How well a recovered field $q_h$ matches the truth $q$: the Pearson
   * correlation and the relative $L^2$ error $\|q_h - q\| / \|q\|$, both
   * as integrals (quadrature on the mesh of $q_h$), over the whole domain
   * and over its interior (points at least a margin away from the faces of
   * the domain's bounding box).
   */
  struct RecoveryScores
  {
    double correlation          = 0.;
    double relative_error       = 0.;
    double correlation_interior = 0.;
    double relative_error_interior = 0.;

    /**
     * @param dof_handler A scalar FE space.
     * @param field $q_h$ on @p dof_handler, with ghost entries.
     * @param truth The true field $q$.
     * @param mapping The mapping of the mesh.
     * @param quadrature The cell quadrature of the integrals.
     * @param margin the interior leaves out this fraction of the bounding
     * box's smallest extent next to each face.
     */
    template <int dim>
    static RecoveryScores
    compute(const DoFHandler<dim> &dof_handler,
            const LA::Vector &     field,
            const Function<dim> &  truth,
            const Mapping<dim> &   mapping,
            const Quadrature<dim> &quadrature,
            const double           margin = 0.1);

    /**
     * The scores of a coefficient field @p q: its values interpolated to
     * the nodes of @p dof_handler (scalar), then as above.
     */
    template <int dim>
    static RecoveryScores
    compute(const CoefficientField<dim> &q,
            const DoFHandler<dim> &      dof_handler,
            const Function<dim> &        truth,
            const Mapping<dim> &         mapping,
            const double                 margin = 0.1);

    /// Record the four numbers in @p summary under @p section.
    void
    add_to(RunSummary &summary, const std::string &section) const;
  };
} // namespace mollifem

#endif
