#ifndef mollifem_coefficient_expression_coefficient_h
#define mollifem_coefficient_expression_coefficient_h

#include <mollifem/base/parameters.h>
#include <mollifem/coefficient/coefficient.h>

#include <memory>

namespace mollifem
{
  /**
   * A coefficient given by a deal.II Function: a known field, or the ground
   * truth of a synthetic problem (an expression, a random field).
   */
  template <int dim>
  class FunctionCoefficient : public CoefficientField<dim>
  {
  public:
    FunctionCoefficient(std::shared_ptr<const Function<dim>> function,
                        const std::string &                  description);

    void
    values(const FEValues<dim> &fe_values,
           std::vector<double> &values) const override;

    /// The description given to the constructor.
    std::string
    description() const override;

    /// The field as a deal.II Function.
    const Function<dim> &
    function() const;

  private:
    const std::shared_ptr<const Function<dim>> field;
    const std::string                          text;
  };



  /**
   * A coefficient given by a muparser expression in x[,y[,z]].
   */
  template <int dim>
  class ExpressionCoefficient : public FunctionCoefficient<dim>
  {
  public:
    /**
     * @param expression The field, in x[,y[,z]] (muparser syntax).
     * @param parameter_path The parameter the expression came from, for
     *   error messages.
     */
    ExpressionCoefficient(const std::string &expression,
                          const std::string &parameter_path);

    /// "expression " and the expression (of this experiment, for a list).
    std::string
    description() const override;
  };
} // namespace mollifem

#endif
