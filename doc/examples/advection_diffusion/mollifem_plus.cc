// The mollifem program with one more model and one more regularization,
// registered from outside the library: `mollifem_plus --print-parameters`
// lists "advection-diffusion" and "H1 and L2" with their parameters, and
// `mollifem_plus advection_diffusion.prm` runs everything the program does
// (synthetic data, mollifier, both stages, studies) with them.
#include <deal.II/base/parameter_handler.h>

#include <mollifem/inverse/regularization.h>
#include <mollifem/study/driver.h>

#include "advection_diffusion.h"

// The model as a plugin: its parameters in subsection Model / subsection
// Advection-diffusion, and a constructor from them.
template <int dim>
class AdvectionDiffusionPlugin : public AdvectionDiffusion<dim>
{
public:
  static void declare_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Model");
    prm.enter_subsection("Advection-diffusion");
    prm.declare_entry("Velocity", "1, 0",
                      dealii::Patterns::List(dealii::Patterns::Double(), dim, dim),
                      "The constant velocity beta, one number per direction.");
    prm.declare_entry("Source", "1", dealii::Patterns::Double(), "The source f.");
    prm.leave_subsection();
    prm.leave_subsection();
  }
  explicit AdvectionDiffusionPlugin(dealii::ParameterHandler &prm)
    : AdvectionDiffusion<dim>(velocity(prm), source(prm))
  {}

private:
  static dealii::Tensor<1, dim> velocity(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Model");
    prm.enter_subsection("Advection-diffusion");
    const auto values = dealii::Utilities::string_to_double(
      dealii::Utilities::split_string_list(prm.get("Velocity")));
    prm.leave_subsection();
    prm.leave_subsection();
    dealii::Tensor<1, dim> beta;
    for (unsigned int d = 0; d < dim; ++d)
      beta[d] = values[d];
    return beta;
  }
  static double source(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Model");
    prm.enter_subsection("Advection-diffusion");
    const double f = prm.get_double("Source");
    prm.leave_subsection();
    prm.leave_subsection();
    return f;
  }
};

MOLLIFEM_REGISTER_MODEL(AdvectionDiffusionPlugin,
                        "advection-diffusion",
                        "steady advection-diffusion -div(kappa grad u) + "
                        "beta . grad u = f with diffusivity kappa(x), u = 0 "
                        "on the boundary (doc/examples/advection_diffusion).");

// A regularization as a plugin: R = alpha/2 int |grad m|^2 + c alpha/2 int
// (m - m_0)^2, the sum of the library's H1 and L2 ones; selected by
// 'Inverse problem/Stage 2/Regularization = H1 and L2'.
template <int dim>
class H1AndL2 : public mollifem::RegularizationPlugin<dim>
{
public:
  static void declare_parameters(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Inverse problem");
    prm.enter_subsection("H1 and L2");
    prm.declare_entry("L2 factor", "0.01", dealii::Patterns::Double(0.),
                      "c: the weight of the L2 part relative to the H1 part.");
    prm.declare_entry("Reference", "0", dealii::Patterns::Double(),
                      "m_0 of the L2 part (log q_0 with the log transform).");
    prm.leave_subsection();
    prm.leave_subsection();
  }
  explicit H1AndL2(dealii::ParameterHandler &prm)
  {
    prm.enter_subsection("Inverse problem");
    prm.enter_subsection("H1 and L2");
    factor    = prm.get_double("L2 factor");
    reference = prm.get_double("Reference");
    prm.leave_subsection();
    prm.leave_subsection();
  }
  std::unique_ptr<mollifem::ParameterRegularization>
  make(const dealii::DoFHandler<dim> &          dofs,
       const dealii::AffineConstraints<double> &constraints,
       const double                             weight) const override
  {
    using mollifem::Regularization;
    return std::make_unique<Sum>(
      std::make_unique<Regularization<dim>>(dofs, constraints, "H1", weight, 0., 0.),
      std::make_unique<Regularization<dim>>(dofs, constraints, "L2",
                                            factor * weight, reference, 0.),
      factor);
  }

private:
  class Sum : public mollifem::ParameterRegularization
  {
  public:
    Sum(std::unique_ptr<mollifem::ParameterRegularization> h1,
        std::unique_ptr<mollifem::ParameterRegularization> l2,
        const double                                       factor)
      : h1(std::move(h1)), l2(std::move(l2)), factor(factor)
    {}
    double value(const mollifem::LA::Vector &m) const override
    {
      return h1->value(m) + l2->value(m);
    }
    void gradient(const mollifem::LA::Vector &m, mollifem::LA::Vector &g) const override
    {
      mollifem::LA::Vector g_l2 = g;
      h1->gradient(m, g);
      l2->gradient(m, g_l2);
      g += g_l2;
    }
    void hessian_vmult(const mollifem::LA::Vector &m, const mollifem::LA::Vector &v,
                       mollifem::LA::Vector &result) const override
    {
      mollifem::LA::Vector r_l2 = result;
      h1->hessian_vmult(m, v, result);
      l2->hessian_vmult(m, v, r_l2);
      result += r_l2;
    }
    void apply_preconditioner_inverse(const mollifem::LA::Vector &v,
                                      mollifem::LA::Vector &result) const override
    {
      h1->apply_preconditioner_inverse(v, result);
    }
    const std::string &type() const override { return name; }
    double weight() const override { return h1->weight(); }
    void set_weight(const double weight) override
    {
      h1->set_weight(weight);
      l2->set_weight(factor * weight);
    }

  private:
    std::unique_ptr<mollifem::ParameterRegularization> h1, l2;
    const double                                       factor;
    const std::string                                  name = "H1 and L2";
  };

  double factor    = 0.01;
  double reference = 0.;
};

MOLLIFEM_REGISTER_REGULARIZATION(H1AndL2,
                                 "H1 and L2",
                                 "alpha/2 int |grad m|^2 + c alpha/2 int (m - "
                                 "m_0)^2 (doc/examples/advection_diffusion).");

int main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  return mollifem::run_driver(argc, argv, MPI_COMM_WORLD);
}
