#ifndef mollifem_coefficient_expression_coefficient_h
#define mollifem_coefficient_expression_coefficient_h

#include <mollifem/base/parameters.h>
#include <mollifem/coefficient/coefficient.h>

namespace mollifem
{
  /**
   * A coefficient given by a muparser expression in x[,y[,z]]: a known field,
   * or the ground truth of a synthetic problem.
   */
  template <int dim>
  class ExpressionCoefficient : public CoefficientField<dim>
  {
  public:
    /**
     * @param parameter_path The parameter the expression came from, for
     *   error messages.
     */
    ExpressionCoefficient(const std::string &expression,
                          const std::string &parameter_path);

    void
    values(const FEValues<dim> &fe_values,
           std::vector<double> &values) const override;

    std::string
    description() const override;

    /// The field as a deal.II Function.
    const Function<dim> &
    function() const;

  private:
    Expression<dim> expression;
  };
} // namespace mollifem

#endif
