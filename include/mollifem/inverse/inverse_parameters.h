#ifndef mollifem_inverse_inverse_parameters_h
#define mollifem_inverse_inverse_parameters_h

#include <deal.II/base/parameter_handler.h>

namespace mollifem
{
  using namespace dealii;

  /**
   * Parameters of subsection `Inverse problem`. So far stage 1, the
   * mollified equation error (HeatEquationError); stage 2 follows.
   */
  struct InverseParameters
  {
    /// Run stage 1.
    bool stage_1 = false;
    /// $\beta$, weight of $\|\nabla q\|^2$.
    double gradient_regularization = 1e-2;
    /// $\alpha$, weight of $\|q - q_0\|^2$.
    double l2_regularization = 1e-6;
    /// $q_0$.
    double reference_value = 1.;
    /// Radius of the time kernel for d/dt of transient data [time];
    /// 0: four times the mean spacing of the observation times.
    double time_radius = 0.;

    static void
    declare_parameters(ParameterHandler &prm);

    void
    parse_parameters(ParameterHandler &prm);
  };
} // namespace mollifem

#endif
