#include <mollifem/inverse/inverse_parameters.h>

namespace mollifem
{
  void
  InverseParameters::declare_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Inverse problem");
    {
      prm.declare_entry("Stage 1",
                        "false",
                        Patterns::Bool(),
                        "Estimate the coefficient by the mollified equation "
                        "error: the data are mollified (subsection "
                        "Mollifier; gradient and Laplacian, and d/dt for "
                        "transient data) at the quadrature points of the "
                        "coefficient's FE space, inserted into the strong "
                        "form of the heat equation, which is linear in k, "
                        "and one regularized least-squares problem is "
                        "solved. No forward solve. Writes stage_1.pvd and "
                        "the scores against the ground truth.");
      prm.declare_entry("Gradient regularization",
                        "1e-2",
                        Patterns::Double(0.),
                        "beta: weight of |grad q|^2 in stage 1 "
                        "[data residual^2 length^2 / coefficient^2].");
      prm.declare_entry("L2 regularization",
                        "1e-6",
                        Patterns::Double(0.),
                        "alpha: weight of |q - q_0|^2 in stage 1.");
      prm.declare_entry("Reference value",
                        "1",
                        Patterns::Double(),
                        "q_0 of the L2 regularization [coefficient].");
      prm.declare_entry("Time radius",
                        "0",
                        Patterns::Double(0.),
                        "Radius of the time kernel for d/dt of transient "
                        "data [time]; 0: four times the mean spacing of the "
                        "observation times.");
    }
    prm.leave_subsection();
  }



  void
  InverseParameters::parse_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Inverse problem");
    {
      stage_1                 = prm.get_bool("Stage 1");
      gradient_regularization = prm.get_double("Gradient regularization");
      l2_regularization       = prm.get_double("L2 regularization");
      reference_value         = prm.get_double("Reference value");
      time_radius             = prm.get_double("Time radius");
    }
    prm.leave_subsection();
  }
} // namespace mollifem
