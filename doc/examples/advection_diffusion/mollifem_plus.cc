// The mollifem program with one more model, registered from outside the
// library: `mollifem_plus --print-parameters` lists "advection-diffusion"
// with its parameters, and `mollifem_plus advection_diffusion.prm` runs
// everything the program does (synthetic data, mollifier, stage 2, studies)
// with it.
#include <deal.II/base/parameter_handler.h>

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

int main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  return mollifem::run_driver(argc, argv, MPI_COMM_WORLD);
}
