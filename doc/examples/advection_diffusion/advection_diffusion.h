// The model of the example: steady advection-diffusion with an unknown
// diffusivity kappa(x),
//   -div(kappa grad u) + beta . grad u = f,  u = 0 on the boundary
// (boundary ids 0 to 2 dim - 1, as GridGenerator::hyper_cube(..., true)
// gives them). Its weak form is all it writes: mollifem derives Newton's
// method, adjoints and Hessians from it by automatic differentiation.
#pragma once

#include <deal.II/base/parameter_handler.h>
#include <deal.II/fe/fe_q.h>

#include <mollifem/models/model.h>

template <int dim>
class AdvectionDiffusion
  : public mollifem::PointwiseModel<dim, AdvectionDiffusion<dim>>
{
public:
  AdvectionDiffusion(const dealii::Tensor<1, dim> &beta, const double f)
    : beta(beta), f(f)
  {}

  // As a plugin of the mollifem program: parameters in
  // subsection Model / subsection Advection-diffusion.
  static void declare_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Model");
    prm.enter_subsection("Advection-diffusion");
    prm.declare_entry("Velocity", "4, 0",
                      dealii::Patterns::List(dealii::Patterns::Double(), dim, dim),
                      "The constant velocity beta, one number per direction.");
    prm.declare_entry("Source", "1", dealii::Patterns::Double(), "The source f.");
    prm.leave_subsection();
    prm.leave_subsection();
  }
  explicit AdvectionDiffusion(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Model");
    prm.enter_subsection("Advection-diffusion");
    const auto velocity = dealii::Utilities::string_to_double(
      dealii::Utilities::split_string_list(prm.get("Velocity")));
    for (unsigned int d = 0; d < dim; ++d)
      beta[d] = velocity[d];
    f = prm.get_double("Source");
    prm.leave_subsection();
    prm.leave_subsection();
  }

  std::string name() const override { return "advection-diffusion"; }
  std::vector<std::string> component_names() const override { return {"u"}; }
  std::unique_ptr<dealii::FiniteElement<dim>> make_finite_element() const override
  {
    return std::make_unique<dealii::FE_Q<dim>>(1);
  }
  std::string coefficient_name() const override { return "kappa"; }
  bool is_linear() const override { return true; }
  bool is_symmetric() const override { return false; }
  bool is_transient() const override { return false; }
  std::vector<mollifem::DirichletBoundary<dim>>
  dirichlet_boundaries() const override
  {
    std::vector<mollifem::DirichletBoundary<dim>> boundaries;
    for (dealii::types::boundary_id id = 0; id < 2 * dim; ++id)
      boundaries.push_back(
        {id, std::make_shared<dealii::Functions::ZeroFunction<dim>>(), {}});
    return boundaries;
  }

  // The weak form: int (beta . grad u - f) v + kappa grad u . grad v.
  template <typename Number>
  void point_residual(const mollifem::PointState<dim, Number> &s,
                      mollifem::PointResidual<dim, Number> &   r) const
  {
    r.value[0] = beta * s.gradient[0] - f;
    r.flux[0]  = s.coefficient * s.gradient[0];
  }

private:
  dealii::Tensor<1, dim> beta;
  double                 f = 1.;
};
