#ifndef mollifem_coefficient_coefficient_parameters_h
#define mollifem_coefficient_coefficient_parameters_h

#include <deal.II/base/parameter_handler.h>
#include <deal.II/grid/tria.h>

#include <mollifem/coefficient/coefficient.h>
#include <mollifem/coefficient/neural_coefficient.h>
#include <mollifem/coefficient/random_field.h>

#include <memory>
#include <string>

namespace mollifem
{
  /**
   * Parameters of subsection `Coefficient`: the coefficient field of the
   * model (k for heat) — its ground truth and how it is represented.
   */
  struct CoefficientParameters
  {
    /// The true field, an expression in x[,y[,z]], or "random field".
    std::string ground_truth = "1";
    /// Subsection Random field, for ground_truth == "random field".
    RandomFieldParameters random_field;
    /// "FE field", "neural" or "expression".
    std::string representation = "FE field";
    /// Subsection Neural network, for representation == "neural" (the
    /// initial value comes from stage 2's initial guess).
    NeuralParameters neural;
    unsigned int fe_degree     = 1;
    bool         log_transform = false;
    /// Radius of the mollification of the FE field (q = T(eta * m)); 0:
    /// none.
    double mollification_radius = 0.;

    static void
    declare_parameters(ParameterHandler &prm);

    void
    parse_parameters(ParameterHandler &prm, const unsigned int dim);

    /**
     * The ground truth as a function (the random field on the bounding box
     * of @p triangulation) and its description. Collective.
     */
    template <int dim>
    std::pair<std::shared_ptr<const Function<dim>>, std::string>
    make_truth_function(const Triangulation<dim> &triangulation) const;

    /**
     * The ground truth in the chosen representation on @p triangulation:
     * the expression itself, or its interpolant in the FE field.
     */
    template <int dim>
    std::unique_ptr<CoefficientField<dim>>
    make_truth(const Triangulation<dim> &triangulation) const;
  };
} // namespace mollifem

#endif
