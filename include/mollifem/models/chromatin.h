#ifndef mollifem_models_chromatin_h
#define mollifem_models_chromatin_h

#include <mollifem/base/parameters.h>
#include <mollifem/models/model.h>

namespace mollifem
{
  /**
   * Benchmark card B3: chromatin reaction-diffusion, a phase field with
   * reactions. With the nucleoplasm fraction $\phi_w(x)$ given, the hetero-
   * and euchromatin fractions are $\phi_h = (1 - \phi_w + \phi_d)/2$ and
   * $\phi_e = (1 - \phi_w - \phi_d)/2$, and $\phi_d = \phi_h - \phi_e$ obeys
   * $$\partial_t\phi_d = \Delta\mu_d + 2(\lambda(x)\phi_e - \phi_h) + f,\qquad
   *   \mu_d = A\,\phi_h(\phi_{max} - \phi_h)(\phi_{max} - 2\phi_h) - \phi_e
   *           - \ell^2\Delta\phi_d,$$
   * with no-flux boundaries and a source $f$ (zero for the card; for
   * manufactured solutions); the coefficient is the reaction-rate ratio
   * $\lambda(x)$. Mixed form with continuous elements for
   * $(\phi_d, \mu_d)$:
   * $r_0 = (-2(\lambda\phi_e - \phi_h),\ \mu_d - A g(\phi_h) + \phi_e)$,
   * $r_1 = (\nabla\mu_d,\ -\ell^2\nabla\phi_d)$, storage $(\phi_d, 0)$:
   * the second equation is algebraic, so use implicit Euler
   * (`Time/Theta = 1`).
   *
   * Stage 1 (equation_error()): with $p = \phi_d$ the mollified data and
   * $w = \phi_w$, $\Delta\mu_d = A\big(g'(\phi_h)\Delta\phi_h +
   * g''(\phi_h)|\nabla\phi_h|^2\big) + \tfrac12(\Delta w + \Delta p) -
   * \ell^2\Delta^2 p$ (with $\nabla\phi_h = (\nabla p - \nabla w)/2$,
   * $\Delta\phi_h = (\Delta p - \Delta w)/2$), and the equation for
   * $\lambda$ is $2\phi_e\,\lambda = \partial_t p - \Delta\mu_d +
   * 2\phi_h$: it needs the mollified bi-Laplacian of the data. The
   * derivatives of $\phi_w$ are central difference quotients (of its
   * expression, or over one pixel of its image).
   *
   * Without reactions the free energy
   * $E = \int 2A\,h(\phi_h) + \phi_e^2 + \tfrac{\ell^2}{2}|\nabla\phi_d|^2$,
   * $h(p) = p^2(\phi_{max} - p)^2/2$, decreases (free_energy()).
   *
   * Parameters in `subsection Model/Chromatin`.
   */
  template <int dim>
  class ChromatinModel : public PointwiseModel<dim, ChromatinModel<dim>>
  {
  public:
    static void
    declare_parameters(ParameterHandler &prm);

    explicit ChromatinModel(ParameterHandler &prm);

    std::string
    name() const override;
    std::vector<std::string>
    component_names() const override;
    std::unique_ptr<FiniteElement<dim>>
    make_finite_element() const override;
    std::string
    coefficient_name() const override;
    bool
    is_linear() const override;
    bool
    is_symmetric() const override;
    bool
    is_transient() const override;
    std::shared_ptr<Function<dim>>
    initial_condition() const override;

    template <typename Number>
    void
    point_residual(const PointState<dim, Number> &state,
                   PointResidual<dim, Number> &   result) const
    {
      const double  phi_w  = nucleoplasm_fraction(state.point, state.time);
      const Number &phi_d  = state.value[0];
      const Number  phi_h  = 0.5 * (1. - phi_w + phi_d);
      const Number  phi_e  = 0.5 * (1. - phi_w - phi_d);
      const Number  g      = phi_h * (phi_max - phi_h) * (phi_max - 2. * phi_h);
      const double  f      = source ? source->evaluate(state.point, state.time) : 0.;
      result.value[0]      = reactions ?
                               Number(-2. * (state.coefficient * phi_e - phi_h) - f) :
                               Number(-f);
      result.flux[0]       = state.gradient[1];
      result.value[1]      = state.value[1] - double_well * g + phi_e;
      result.flux[1]       = -interface_length * interface_length *
                       state.gradient[0];
    }

    template <typename Number>
    void
    point_storage(const PointState<dim, Number> &state,
                  PointResidual<dim, Number> &   result) const
    {
      result.value[0] = state.value[0];
      result.value[1] = 0.;
    }

    /// The free energy density $2A h(\phi_h) + \phi_e^2 +
    /// \ell^2|\nabla\phi_d|^2/2$ at a point with phase @p phi_d, gradient
    /// @p gradient and nucleoplasm fraction @p phi_w.
    double
    free_energy_density(const double          phi_d,
                        const Tensor<1, dim> &gradient,
                        const double          phi_w) const;

    std::vector<DifferentialOperator<dim>>
    equation_error_operators() const override;

    void
    equation_error(const Point<dim> &         point,
                   const double               time,
                   const std::vector<double> &derivatives,
                   const double               rate,
                   double &                   a,
                   Tensor<1, dim> &           b,
                   double &                   g) const override;

    /// The nucleoplasm fraction $\phi_w(x)$ at time @p t.
    double
    nucleoplasm_fraction(const Point<dim> &p, const double t = 0.) const;

  private:
    unsigned int                     degree;
    bool                             transient;
    bool                             reactions;
    double                           double_well;
    double                           interface_length;
    double                           phi_max;
    /// An Expression, or an image (read_image_field()).
    std::shared_ptr<Function<dim>>   nucleoplasm;
    /// Step of the difference quotients of phi_w in equation_error().
    double                           nucleoplasm_step = 1e-4;
    std::shared_ptr<Expression<dim>> initial_phase;
    /// Null when the source is zero (no evaluation per point).
    std::shared_ptr<Expression<dim>> source;
  };
} // namespace mollifem

#endif
