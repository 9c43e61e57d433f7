// Stage 2 with a neural coefficient (Coefficient/Representation = neural)
// through the driver: card B2 (steady heat, three sources, 1% noise on a
// 41 x 41 grid, data from the mesh refined once more), k = exp(y) with y a
// tanh network with two hidden layers of 10 (151 weights), from the
// constant 1, no regularization, 60 trust-region Newton-CG iterations.
// The network recovers the Gaussian bump of k: correlation above 0.95 (from
// -0.48 at the start), and the misfit falls from 17.6, 35 times its value
// 1/2 at the noise level, to below 0.7.
// A second run with 'Weights file' = the neural_weights.txt of the first
// and no iterations scores the same correlation. Same checks on 1 and 2
// ranks (the weights are replicated, the gradients summed over the ranks).

#include <sstream>

#include "../tests.h"
#include "run_prm.h"

using namespace dealii;
using namespace mollifem;

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const std::string prm =
    testing::heat_b2_prm("neural") +
    "subsection Inverse problem\n  subsection Stage 2\n"
    "    set Run = true\n    set Initial guess = 1\n"
    "    set Regularization = none\n    set Gradient tolerance = 1e-6\n"
    "    set Maximum iterations = 60\n  end\nend\n";
  const auto summary = testing::run_prm(prm, "results-neural");
  // A second run from the weights the first one wrote, without iterations,
  // starts where the first ended.
  const auto restart = testing::run_prm(
    prm + "subsection Coefficient\n  subsection Neural network\n"
          "    set Weights file = results-neural/neural_weights.txt\n"
          "  end\nend\nsubsection Inverse problem\n  subsection Stage 2\n"
          "    set Maximum iterations = 0\n  end\nend\n",
    "results-neural-restart");
  testing::log() << "neural field: " << testing::get(summary, "stage 2/unknowns")
                 << " weights\n  correlation above 0.95: "
                 << testing::yes_no(testing::get(summary,
                                                 "stage 2/correlation") > 0.95)
                 << "\n  misfit below 0.7: "
                 << testing::yes_no(testing::get(summary, "stage 2/misfit") < 0.7)
                 << "\n  a run from its weights file starts at its correlation "
                    "(to 1e-12): "
                 << testing::yes_no(
                      std::abs(testing::get(restart, "stage 2/correlation") -
                               testing::get(summary, "stage 2/correlation")) <
                      1e-12)
                 << std::endl;
  return 0;
}
