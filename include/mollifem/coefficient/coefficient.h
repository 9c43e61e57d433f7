#ifndef mollifem_coefficient_coefficient_h
#define mollifem_coefficient_coefficient_h

#include <deal.II/dofs/dof_handler.h>

#include <deal.II/fe/fe_values.h>

#include <mollifem/base/linear_algebra.h>

#include <string>
#include <vector>

namespace mollifem
{
  using namespace dealii;

  /**
   * A scalar coefficient field $q(x)$ of a model: a conductivity, a reaction
   * rate, a forcing. This is the interface through which models see the
   * unknown of an inverse problem, whatever represents it (an expression, a
   * finite element field, later a neural network).
   *
   * @note Implementations may cache evaluation objects and are not
   * thread-safe: evaluate from one thread per MPI rank.
   */
  template <int dim>
  class CoefficientField
  {
  public:
    virtual ~CoefficientField() = default;

    /**
     * The values of $q$ at the quadrature points of @p fe_values, which has
     * been reinitialized on a locally owned cell (and has the flag
     * update_quadrature_points).
     */
    virtual void
    values(const FEValues<dim> &fe_values, std::vector<double> &values) const = 0;

    /**
     * A one-line description for logs: "expression 1+x", "FE field Q1, 289
     * unknowns".
     */
    virtual std::string
    description() const = 0;

    /**
     * Interpolate $q$ at the support points of the scalar finite element of
     * @p dof_handler into @p owned (a vector with the locally owned
     * entries), for output or comparisons. Collective.
     */
    void
    interpolate(const DoFHandler<dim> &dof_handler, LA::Vector &owned) const;
  };
} // namespace mollifem

#endif
