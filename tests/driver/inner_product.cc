// Stage 2/Inner product = lumped mass against Euclidean in a full inversion
// (heat, steady, 1% noise, H1 at a fixed weight) on a uniform mesh and on
// one refined twice more in a disc (hanging nodes, cells of three sizes):
// both inner products reach the same minimizer (the correlation with the
// truth agrees to 1e-3: only the path and the stopping test differ) in
// about as many iterations.

#include <sstream>

#include "../tests.h"
#include "run_prm.h"

using namespace dealii;
using namespace mollifem;

boost::property_tree::ptree
run(const std::string &inner_product, const unsigned int local_steps)
{
  std::ostringstream prm;
  prm << "subsection Mesh\n  set Initial global refinement = 4\n"
      << "  set Local refinement region = (x-0.3)^2 + (y-0.6)^2 < 0.04\n"
      << "  set Local refinement steps = " << local_steps << "\nend\n"
      << "subsection Coefficient\n  set Log transform = true\n"
      << "  set Ground truth = 1 + 0.5*exp(-((x-0.3)^2 + (y-0.6)^2)/0.02)\n"
      << "end\n"
      << "subsection Model\n  subsection Heat\n"
      << "    set Source = 1 ; 10*x ; 10*y\n  end\nend\n"
      << "subsection Observations\n  set Grid points = 41\n"
      << "  set Noise level = 0.01\n  set Additional refinement = 1\n"
      << "  set Write files = false\nend\n"
      << "subsection Inverse problem\n  subsection Stage 2\n"
      << "    set Run = true\n    set Initial guess = 1\n"
      << "    set Regularization = H1\n    set Regularization weight = 0.01\n"
      << "    set Gradient tolerance = 1e-6\n"
      << "    set Inner product = " << inner_product << "\n  end\nend\n";
  return testing::run_prm(prm.str(), "results-inner-product");
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  for (const unsigned int local_steps : {0u, 2u})
    {
      const auto euclidean = run("Euclidean", local_steps);
      const auto lumped    = run("lumped mass", local_steps);
      const double c_e = testing::get(euclidean, "stage 2/correlation");
      const double c_l = testing::get(lumped, "stage 2/correlation");
      testing::log() << (local_steps == 0 ? "uniform mesh" :
                                            "locally refined mesh")
                     << ", " << testing::get(euclidean, "mesh/state unknowns")
                     << " unknowns:\n  lumped-mass iterations within 3 of "
                        "the Euclidean ones: "
                     << testing::yes_no(
                          std::abs(testing::get(euclidean, "stage 2/iterations") -
                                   testing::get(lumped, "stage 2/iterations")) <= 3)
                     << "\n  correlation " << testing::format(c_l, 3)
                     << ", the same minimizer (to 1e-3): "
                     << testing::yes_no(std::abs(c_e - c_l) < 1e-3)
                     << std::endl;
    }
  return 0;
}
