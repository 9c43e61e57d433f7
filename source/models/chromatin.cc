#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_system.h>

#include <mollifem/base/exceptions.h>
#include <mollifem/data/image_field.h>
#include <mollifem/models/chromatin.h>

namespace mollifem
{
  namespace
  {
    /// (phi_d, mu_d) at t = 0: phi_d from an expression, mu_d = 0 (the
    /// algebraic equation of implicit Euler does not use it).
    template <int dim>
    class InitialState : public Function<dim>
    {
    public:
      explicit InitialState(std::shared_ptr<Expression<dim>> phase)
        : Function<dim>(2)
        , phase(std::move(phase))
      {}

      double
      value(const Point<dim> &p, const unsigned int component) const override
      {
        return component == 0 ? phase->value(p) : 0.;
      }

    private:
      std::shared_ptr<Expression<dim>> phase;
    };
  } // namespace



  template <int dim>
  void
  ChromatinModel<dim>::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Model");
    prm.enter_subsection("Chromatin");
    {
      prm.declare_entry("Finite element degree",
                        "1",
                        Patterns::Integer(1, 4),
                        "Polynomial degree p of the FE_Q elements of both "
                        "fields phi_d and mu_d.");
      prm.declare_entry("Problem",
                        "transient",
                        Patterns::Selection("transient|steady"),
                        "'transient': evolve phi_d from the initial condition "
                        "with the time stepping of subsection Time (use Theta "
                        "= 1). 'steady': the stationary state by Newton's "
                        "method.");
      prm.declare_entry("Reactions",
                        "true",
                        Patterns::Bool(),
                        "Include the reaction term 2 (lambda phi_e - phi_h); "
                        "without it the model is a Cahn-Hilliard equation "
                        "whose free energy decreases.");
      prm.declare_entry("Double-well strength",
                        "1",
                        Patterns::Double(0.),
                        "A in mu_d = A phi_h (phi_max - phi_h)(phi_max - 2 "
                        "phi_h) - phi_e - l^2 lap phi_d. A = 1: convex free "
                        "energy, smooth states; A > about 4.1: phase "
                        "separation arrested by the reactions.");
      prm.declare_entry("Interface length",
                        "0.03",
                        Patterns::Double(0.),
                        "l, the width of the interfaces between hetero- and "
                        "euchromatin (in units of the domain); the mesh must "
                        "resolve it.");
      prm.declare_entry("Maximum fraction",
                        "0.7",
                        Patterns::Double(0.),
                        "phi_max, the largest chromatin fraction in the "
                        "double well of mu_d.");
      prm.declare_entry("Nucleoplasm fraction",
                        "0",
                        Patterns::Anything(),
                        "phi_w(x), the given nucleoplasm fraction, an "
                        "expression in x[,y[,z]] (unless an image is "
                        "given).");
      prm.declare_entry("Nucleoplasm image",
                        "",
                        Patterns::Anything(),
                        "A file with phi_w instead of the expression, as a "
                        "microscopy map would give it: a .pgm graymap (2D; "
                        "gray / maxval, the pixel centres spanning "
                        "'Nucleoplasm image box', the first row at the top) "
                        "or a .vtk structured grid (the observation file "
                        "format, at its own points), bilinearly "
                        "interpolated. Empty: use the expression.");
      prm.declare_entry("Nucleoplasm image box",
                        "0, 0 : 1, 1",
                        Patterns::Anything(),
                        "The box the pixel centres of a .pgm image span: "
                        "lower corner : upper corner, coordinates separated "
                        "by commas.");
      prm.declare_entry("Source",
                        "0",
                        Patterns::Anything(),
                        "f(x, t), added to the right-hand side of the phi_d "
                        "equation: d phi_d/dt = lap mu_d + 2 (lambda phi_e - "
                        "phi_h) + f. Zero for the card; manufactured "
                        "solutions use it.");
      prm.declare_entry("Initial condition",
                        "0",
                        Patterns::Anything(),
                        "phi_d(x) at the initial time; for the steady "
                        "problem, the initial guess of the synthetic data "
                        "(with A > 4.1 it selects the pattern: use a small "
                        "perturbation and Solver/Pseudo time step > 0).");
    }
    prm.leave_subsection();
    prm.leave_subsection();
  }



  template <int dim>
  ChromatinModel<dim>::ChromatinModel(ParameterHandler &prm)
  {
    const std::vector<std::string> section = {"Model", "Chromatin"};
    prm.enter_subsection("Model");
    prm.enter_subsection("Chromatin");
    {
      degree           = prm.get_integer("Finite element degree");
      transient        = (prm.get("Problem") == "transient");
      reactions        = prm.get_bool("Reactions");
      double_well      = prm.get_double("Double-well strength");
      interface_length = prm.get_double("Interface length");
      phi_max          = prm.get_double("Maximum fraction");
      const std::string image = Utilities::trim(prm.get("Nucleoplasm image"));
      if (image.empty())
        nucleoplasm = std::make_shared<Expression<dim>>(
          prm.get("Nucleoplasm fraction"),
          Parameters::path(section, "Nucleoplasm fraction"));
      else
        {
          const std::string box_path =
            Parameters::path(section, "Nucleoplasm image box");
          const BoundingBox<dim> box =
            Parameters::parse_box<dim>(prm.get("Nucleoplasm image box"),
                                       box_path);
          for (unsigned int d = 0; d < dim; ++d)
            AssertThrow(box.side_length(d) > 0.,
                        ExcParameter(box_path,
                                     "the upper corner must lie above the "
                                     "lower one in every coordinate."));
          const ImageField<dim> field =
            read_image_field(image, box);
          nucleoplasm      = field.function;
          nucleoplasm_step = field.pixel_size;
        }
      const std::string f = Utilities::trim(prm.get("Source"));
      if (f != "0")
        source = std::make_shared<Expression<dim>>(
          f, Parameters::path(section, "Source"));
      initial_phase = std::make_shared<Expression<dim>>(
        prm.get("Initial condition"),
        Parameters::path(section, "Initial condition"));
    }
    prm.leave_subsection();
    prm.leave_subsection();
  }



  template <int dim>
  std::string
  ChromatinModel<dim>::name() const
  {
    return "chromatin";
  }



  template <int dim>
  std::vector<std::string>
  ChromatinModel<dim>::component_names() const
  {
    return {"phi_d", "mu_d"};
  }



  template <int dim>
  std::unique_ptr<FiniteElement<dim>>
  ChromatinModel<dim>::make_finite_element() const
  {
    return std::make_unique<FESystem<dim>>(FE_Q<dim>(degree), 2);
  }



  template <int dim>
  std::string
  ChromatinModel<dim>::coefficient_name() const
  {
    return "lambda";
  }



  template <int dim>
  bool
  ChromatinModel<dim>::is_linear() const
  {
    return false;
  }



  template <int dim>
  bool
  ChromatinModel<dim>::is_symmetric() const
  {
    return false;
  }



  template <int dim>
  bool
  ChromatinModel<dim>::is_transient() const
  {
    return transient;
  }



  template <int dim>
  std::shared_ptr<Function<dim>>
  ChromatinModel<dim>::initial_condition() const
  {
    return std::make_shared<InitialState<dim>>(initial_phase);
  }



  template <int dim>
  double
  ChromatinModel<dim>::free_energy_density(const double          phi_d,
                                           const Tensor<1, dim> &gradient,
                                           const double          phi_w) const
  {
    const double phi_h = 0.5 * (1. - phi_w + phi_d);
    const double phi_e = 0.5 * (1. - phi_w - phi_d);
    const double h =
      0.5 * phi_h * phi_h * (phi_max - phi_h) * (phi_max - phi_h);
    return 2. * double_well * h + phi_e * phi_e +
           0.5 * interface_length * interface_length * gradient.norm_square();
  }



  template <int dim>
  double
  ChromatinModel<dim>::nucleoplasm_fraction(const Point<dim> &p,
                                            const double      t) const
  {
    nucleoplasm->set_time(t);
    return nucleoplasm->value(p);
  }



  template <int dim>
  std::vector<DifferentialOperator<dim>>
  ChromatinModel<dim>::equation_error_operators() const
  {
    std::vector<DifferentialOperator<dim>> operators = {
      DifferentialOperator<dim>::identity()};
    for (const auto &d : DifferentialOperator<dim>::gradient())
      operators.push_back(d);
    operators.push_back(DifferentialOperator<dim>::laplacian());
    operators.push_back(DifferentialOperator<dim>::bilaplacian());
    return operators;
  }



  template <int dim>
  void
  ChromatinModel<dim>::equation_error(const Point<dim> &         point,
                                      const double               time,
                                      const std::vector<double> &derivatives,
                                      const double               rate,
                                      double &                   a,
                                      Tensor<1, dim> &           b,
                                      double &                   g) const
  {
    AssertDimension(derivatives.size(), dim + 3);
    AssertThrow(reactions,
                ExcMessage("Without reactions the chromatin model has no "
                           "coefficient to recover."));
    const double   p = derivatives[0];
    Tensor<1, dim> grad_p;
    for (unsigned int d = 0; d < dim; ++d)
      grad_p[d] = derivatives[1 + d];
    const double laplacian_p   = derivatives[dim + 1];
    const double bilaplacian_p = derivatives[dim + 2];

    // phi_w and its derivatives by central differences (second order; for
    // an expression the step balances truncation and rounding, for an image
    // it is a pixel: the discrete derivatives of the pixel grid, not the
    // kinks of the bilinear interpolant).
    const double   step = nucleoplasm_step;
    const double   w    = nucleoplasm_fraction(point, time);
    Tensor<1, dim> grad_w;
    double         laplacian_w = 0.;
    for (unsigned int d = 0; d < dim; ++d)
      {
        Point<dim> plus = point, minus = point;
        plus[d] += step;
        minus[d] -= step;
        const double w_plus  = nucleoplasm_fraction(plus, time);
        const double w_minus = nucleoplasm_fraction(minus, time);
        grad_w[d]            = (w_plus - w_minus) / (2. * step);
        laplacian_w += (w_plus - 2. * w + w_minus) / (step * step);
      }

    const double phi_h = 0.5 * (1. - w + p);
    const double phi_e = 0.5 * (1. - w - p);
    // g(h) = h (phi_max - h)(phi_max - 2h) = 2h^3 - 3 phi_max h^2 +
    // phi_max^2 h.
    const double g_1 = 6. * phi_h * phi_h - 6. * phi_max * phi_h + phi_max * phi_max;
    const double g_2 = 12. * phi_h - 6. * phi_max;
    const Tensor<1, dim> grad_h      = 0.5 * (grad_p - grad_w);
    const double         laplacian_h = 0.5 * (laplacian_p - laplacian_w);
    const double laplacian_mu =
      double_well * (g_1 * laplacian_h + g_2 * grad_h.norm_square()) +
      0.5 * (laplacian_w + laplacian_p) -
      interface_length * interface_length * bilaplacian_p;

    a = 2. * phi_e;
    b = Tensor<1, dim>();
    g = rate - laplacian_mu + 2. * phi_h -
        (source ? source->evaluate(point, time) : 0.);
  }



  template class ChromatinModel<1>;
  template class ChromatinModel<2>;
  template class ChromatinModel<3>;

  MOLLIFEM_REGISTER_MODEL(ChromatinModel,
                          "chromatin",
                          "chromatin reaction-diffusion, a phase field for "
                          "phi_d = phi_h - phi_e with the reaction-rate ratio "
                          "lambda(x) as the coefficient, mixed form (phi_d, "
                          "mu_d) (card B3).");
} // namespace mollifem
