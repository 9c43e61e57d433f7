#ifndef mollifem_tests_heat_manufactured_h
#define mollifem_tests_heat_manufactured_h

// The steady manufactured problem of the heat tests: -div(k grad u) = f with
// k = 1 + xy and u = sin(pi x) sin(pi y) on (0,1)^2, Dirichlet data on x = 0
// and y = 0, the Neumann flux on x = 1 and y = 1.

#include <mollifem/models/heat.h>

#include <memory>
#include <string>

inline std::unique_ptr<mollifem::HeatModel<2>>
manufactured_heat_model(const unsigned int degree)
{
  dealii::ParameterHandler prm;
  mollifem::HeatModel<2>::declare_parameters(prm);
  prm.parse_input_from_string(
    "subsection Model\n"
    "  subsection Heat\n"
    "    set Finite element degree = " + std::to_string(degree) + "\n"
    "    set Source = 2*pi^2*(1+x*y)*sin(pi*x)*sin(pi*y)"
    " - pi*(y*cos(pi*x)*sin(pi*y) + x*sin(pi*x)*cos(pi*y))\n"
    "    set Dirichlet boundary ids = 0, 2\n"
    "    set Dirichlet value = sin(pi*x)*sin(pi*y)\n"
    "    set Neumann flux = -(1+y)*pi*sin(pi*y)*(x > 1-1e-8)"
    " - (1+x)*pi*sin(pi*x)*(y > 1-1e-8)\n"
    "  end\n"
    "end\n");
  return std::make_unique<mollifem::HeatModel<2>>(prm);
}

#endif
