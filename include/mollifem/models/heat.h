#ifndef mollifem_models_heat_h
#define mollifem_models_heat_h

#include <mollifem/base/parameters.h>
#include <mollifem/models/model.h>

#include <set>

namespace mollifem
{
  /**
   * Benchmark card B2: heat conduction with a spatially varying conductivity
   * $k(x)$, the coefficient field:
   * $$-\nabla\cdot(k \nabla u) = f \quad\text{(steady)}, \qquad
   *   \partial_t u - \nabla\cdot(k \nabla u) = f \quad\text{(transient)},$$
   * with $u = g_D$ on the Dirichlet boundaries, $k \nabla u \cdot n = g_N$ on
   * all others, and $u(\cdot, t_0) = u_0$.
   *
   * Pointwise weak form: $r_0 = -f$, $r_1 = k \nabla u$ in the volume,
   * $r_0 = -g_N$ on Neumann faces, storage $m(u) = u$.
   *
   * Parameters in `subsection Model/Heat`.
   */
  template <int dim>
  class HeatModel : public PointwiseModel<dim, HeatModel<dim>>
  {
  public:
    static void
    declare_parameters(ParameterHandler &prm);

    explicit HeatModel(ParameterHandler &prm);

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
    std::vector<DirichletBoundary<dim>>
    dirichlet_boundaries() const override;
    std::shared_ptr<Function<dim>>
    initial_condition() const override;
    bool
    has_boundary_residual(const types::boundary_id id) const override;

    template <typename Number>
    void
    point_residual(const PointState<dim, Number> &state,
                   PointResidual<dim, Number> &   result) const
    {
      result.value[0] = -source->evaluate(state.point, state.time);
      result.flux[0]  = state.coefficient * state.gradient[0];
    }

    template <typename Number>
    void
    point_boundary_residual(const PointState<dim, Number> &state,
                            PointResidual<dim, Number> &   result) const
    {
      result.value[0] = -neumann_flux->evaluate(state.point, state.time);
    }

  private:
    unsigned int                     degree;
    bool                             transient;
    std::set<types::boundary_id>     dirichlet_ids;
    std::shared_ptr<Expression<dim>> source;
    std::shared_ptr<Expression<dim>> dirichlet_value;
    std::shared_ptr<Expression<dim>> neumann_flux;
    std::shared_ptr<Expression<dim>> initial_value;
  };
} // namespace mollifem

#endif
