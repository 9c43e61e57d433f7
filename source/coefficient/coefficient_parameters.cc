#include <mollifem/base/exceptions.h>
#include <mollifem/base/parameters.h>
#include <mollifem/coefficient/coefficient_parameters.h>
#include <mollifem/coefficient/expression_coefficient.h>
#include <mollifem/coefficient/fe_field_coefficient.h>
#include <mollifem/data/sampling.h>

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
                        "conductivity k), an expression in x[,y[,z]], or "
                        "'random field' (subsection Random field): makes "
                        "the synthetic data and is the reference the "
                        "recovered field is measured against.");
      prm.enter_subsection("Random field");
      {
        prm.declare_entry("Seed",
                          "1",
                          Patterns::Integer(0),
                          "Seed of the random numbers: the same seed gives "
                          "the same field on every platform and rank.");
        prm.declare_entry("Mean",
                          "0.5",
                          Patterns::Double(),
                          "q_mean, the expected value of q.");
        prm.declare_entry("Floor",
                          "0.15",
                          Patterns::Double(),
                          "q_floor < q_mean: q = q_floor + (q_mean - "
                          "q_floor) exp(sigma G - sigma^2/2) with G a "
                          "Gaussian field of mean 0 and variance 1, so q > "
                          "q_floor everywhere (log-normal above the floor).");
        prm.declare_entry("Log standard deviation",
                          "0.5",
                          Patterns::Double(0.),
                          "sigma, the standard deviation of log(q - "
                          "q_floor).");
        prm.declare_entry("Correlation length",
                          "0.3",
                          Patterns::Double(0.),
                          "l > 0 of the Gaussian covariance exp(-r^2/l^2) of "
                          "G [length]: the size of the features.");
        prm.declare_entry("Modes per axis",
                          "16",
                          Patterns::Integer(1, 256),
                          "Number of cosine modes cos(k pi x / L) per axis "
                          "(k < this number) of the series of G; enough "
                          "when pi k / L >> 2 / l at the last one. The "
                          "cosines have zero normal derivative on the "
                          "bounding box of the mesh.");
      }
      prm.leave_subsection();
      prm.declare_entry("Representation",
                        "FE field",
                        Patterns::Selection("FE field|neural|hybrid|expression"),
                        "How the coefficient is represented on the inversion "
                        "mesh: 'FE field', continuous FE_Q elements on the "
                        "mesh (the unknowns of an inversion); 'neural', a "
                        "small neural network on the coordinates (subsection "
                        "Neural network; its weights are stage 2's unknowns, "
                        "and forward runs and stage 1 use the FE field); "
                        "'hybrid', q = T(m_h + y) with an FE field m_h and a "
                        "network y optimized jointly (T = exp with the log "
                        "transform); or "
                        "'expression', the ground truth evaluated exactly.");
      prm.enter_subsection("Neural network");
      {
        prm.declare_entry("Hidden layers",
                          "16, 16",
                          Patterns::List(Patterns::Integer(1), 1),
                          "Widths of the hidden layers of the multilayer "
                          "perceptron, from the input: '16, 16' is two "
                          "layers of 16 neurons.");
        prm.declare_entry("Activation",
                          "tanh",
                          Patterns::Selection("tanh|sine"),
                          "Activation of the hidden layers.");
        prm.declare_entry("Fourier features",
                          "0",
                          Patterns::Integer(0),
                          "Number of random Fourier features sin(2 pi b.x), "
                          "cos(2 pi b.x) added to the coordinates x (scaled "
                          "to [-1, 1] over the mesh's bounding box); 0: the "
                          "coordinates alone.");
        prm.declare_entry("Fourier scale",
                          "1",
                          Patterns::Double(0.),
                          "Standard deviation of the frequencies b of the "
                          "Fourier features [periods over the half-width of "
                          "the domain]: larger values let the network "
                          "represent finer features.");
        prm.declare_entry("Seed",
                          "1",
                          Patterns::Integer(0),
                          "Seed of the initial weights (Glorot-uniform, the "
                          "output layer scaled by 0.1, zero biases) and of "
                          "the Fourier frequencies.");
        prm.declare_entry("Weights file",
                          "",
                          Patterns::Anything(),
                          "Start stage 2 from these weights instead of the "
                          "seeded ones: a neural_weights.txt that stage 2 "
                          "wrote (its header must name the same "
                          "architecture). Empty: the seeded weights.");
      }
      prm.leave_subsection();
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
      ground_truth   = Utilities::trim(prm.get("Ground truth"));
      prm.enter_subsection("Random field");
      {
        random_field.seed               = prm.get_integer("Seed");
        random_field.mean               = prm.get_double("Mean");
        random_field.floor              = prm.get_double("Floor");
        random_field.log_deviation      = prm.get_double("Log standard deviation");
        random_field.correlation_length = prm.get_double("Correlation length");
        random_field.n_modes            = prm.get_integer("Modes per axis");
      }
      prm.leave_subsection();
      prm.enter_subsection("Neural network");
      {
        neural.hidden_layers.clear();
        for (const std::string &width :
             Utilities::split_string_list(prm.get("Hidden layers")))
          neural.hidden_layers.push_back(Utilities::string_to_int(width));
        neural.activation       = prm.get("Activation");
        neural.fourier_features = prm.get_integer("Fourier features");
        neural.fourier_scale    = prm.get_double("Fourier scale");
        neural.seed             = prm.get_integer("Seed");
        neural.weights_file     = Utilities::trim(prm.get("Weights file"));
      }
      prm.leave_subsection();
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
    if (ground_truth == "random field")
      {
        AssertThrow(random_field.mean > random_field.floor,
                    ExcParameter("Coefficient/Random field/Mean",
                                 "the mean must be larger than the floor."));
        AssertThrow(random_field.correlation_length > 0.,
                    ExcParameter("Coefficient/Random field/Correlation length",
                                 "the correlation length must be positive."));
      }
    else
      Parameters::check_expression(ground_truth, "Coefficient/Ground truth", dim);
  }



  template <int dim>
  std::pair<std::shared_ptr<const Function<dim>>, std::string>
  CoefficientParameters::make_truth_function(
    const Triangulation<dim> &triangulation) const
  {
    if (ground_truth != "random field")
      {
        return {std::make_shared<const Expression<dim>>(
                  ground_truth, "Coefficient/Ground truth"),
                "expression " + ground_truth};
      }
    const auto field = std::make_shared<const RandomField<dim>>(
      random_field, domain_bounding_box(triangulation));
    return {field, field->description()};
  }



  template <int dim>
  std::unique_ptr<CoefficientField<dim>>
  CoefficientParameters::make_truth(
    const Triangulation<dim> &triangulation) const
  {
    const auto [function, description] = make_truth_function(triangulation);
    auto truth = std::make_unique<FunctionCoefficient<dim>>(function, description);
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



  template std::pair<std::shared_ptr<const Function<1>>, std::string>
  CoefficientParameters::make_truth_function(const Triangulation<1> &) const;
  template std::pair<std::shared_ptr<const Function<2>>, std::string>
  CoefficientParameters::make_truth_function(const Triangulation<2> &) const;
  template std::pair<std::shared_ptr<const Function<3>>, std::string>
  CoefficientParameters::make_truth_function(const Triangulation<3> &) const;
  template std::unique_ptr<CoefficientField<1>>
  CoefficientParameters::make_truth(const Triangulation<1> &) const;
  template std::unique_ptr<CoefficientField<2>>
  CoefficientParameters::make_truth(const Triangulation<2> &) const;
  template std::unique_ptr<CoefficientField<3>>
  CoefficientParameters::make_truth(const Triangulation<3> &) const;
} // namespace mollifem
