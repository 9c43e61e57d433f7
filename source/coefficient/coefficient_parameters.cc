#include <mollifem/base/exceptions.h>
#include <mollifem/base/parameters.h>
#include <mollifem/coefficient/coefficient_parameters.h>
#include <mollifem/coefficient/expression_coefficient.h>
#include <mollifem/coefficient/fe_field_coefficient.h>

namespace mollifem
{
  void
  CoefficientParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Coefficient");
    {
      prm.declare_entry("Ground truth",
                        "1",
                        Patterns::Anything(),
                        "The true coefficient field q(x) (for heat the "
                        "conductivity k), an expression in x[,y[,z]]: makes "
                        "the synthetic data and is the reference the "
                        "recovered field is measured against.");
      prm.declare_entry("Representation",
                        "FE field",
                        Patterns::Selection("FE field|expression"),
                        "How the coefficient is represented on the inversion "
                        "mesh: 'FE field', continuous FE_Q elements on the "
                        "mesh (the unknowns of an inversion), or "
                        "'expression', the ground truth evaluated exactly.");
      prm.declare_entry("FE degree",
                        "1",
                        Patterns::Integer(1, 4),
                        "Polynomial degree of the FE field.");
      prm.declare_entry("Log transform",
                        "false",
                        Patterns::Bool(),
                        "Represent q = exp(m) with m the FE field, which keeps "
                        "q positive; the ground truth must then be "
                        "positive.");
      prm.declare_entry("Mollification radius",
                        "none",
                        Patterns::Anything(),
                        "'none', or a length delta > 0: the unknown FE field "
                        "m of stage 2 is mollified before the transform, "
                        "q = T(eta * m), with the kernel, boundary treatment "
                        "and quadrature of subsection Mollifier and this "
                        "radius. Scales below delta cannot enter q, whatever "
                        "the data: a smoothness prior without a weight to "
                        "choose (the regularization still acts on m). The "
                        "truth and stage 1 are not mollified.");
    }
    prm.leave_subsection();
  }



  void
  CoefficientParameters::parse_parameters(ParameterHandler &prm,
                                           const unsigned int dim)
  {
    prm.enter_subsection("Coefficient");
    {
      ground_truth   = prm.get("Ground truth");
      representation = prm.get("Representation");
      fe_degree      = prm.get_integer("FE degree");
      log_transform  = prm.get_bool("Log transform");
      const std::string radius =
        Utilities::trim(prm.get("Mollification radius"));
      mollification_radius = 0.;
      if (radius != "none")
        {
          const std::vector<double> numbers =
            Parameters::parse_numbers(radius, "Coefficient/Mollification radius");
          AssertThrow(numbers.size() == 1 && numbers[0] > 0.,
                      ExcParameter("Coefficient/Mollification radius",
                                   "'" + radius +
                                     "' is neither 'none' nor one positive "
                                     "length."));
          mollification_radius = numbers[0];
        }
    }
    prm.leave_subsection();
    Parameters::check_expression(ground_truth, "Coefficient/Ground truth", dim);
  }



  template <int dim>
  std::unique_ptr<CoefficientField<dim>>
  CoefficientParameters::make_truth(
    const Triangulation<dim> &triangulation) const
  {
    auto truth = std::make_unique<ExpressionCoefficient<dim>>(
      ground_truth, "Coefficient/Ground truth");
    if (representation == "expression")
      return truth;

    auto field = std::make_unique<FEFieldCoefficient<dim>>(triangulation,
                                                           fe_degree,
                                                           log_transform);
    try
      {
        field->interpolate_function(truth->function());
      }
    catch (const std::exception &exception)
      {
        AssertThrow(false,
                    ExcParameter("Coefficient/Ground truth",
                                 user_message(exception)));
      }
    return field;
  }



  template std::unique_ptr<CoefficientField<1>>
  CoefficientParameters::make_truth(const Triangulation<1> &) const;
  template std::unique_ptr<CoefficientField<2>>
  CoefficientParameters::make_truth(const Triangulation<2> &) const;
  template std::unique_ptr<CoefficientField<3>>
  CoefficientParameters::make_truth(const Triangulation<3> &) const;
} // namespace mollifem
