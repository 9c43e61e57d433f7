// Newton-CG preconditioned with the Gauss-Newton products of the last step
// (Inverse problem/Stage 2/Recycled Hessian pairs) through the driver on
// card B2 (steady heat, three sources, 1% noise on a 41 x 41 grid, 16 x 16
// cells, log transform), with the weight chosen by the discrepancy
// principle (tau = 1.1: the mesh's error keeps the misfit above 1/2) from
// 0.01 and a gradient tolerance of 1e-6. The same inversion
// without pairs and with 60. Checks: with the pairs the inversion makes at
// least a quarter fewer Hessian-vector products; it chooses the same weight
// (within 1%) and recovers the same k (correlations with the truth within
// 1e-3, misfits within 1%). A run with the pairs (weight 0.01 fixed)
// stopped after its second checkpoint (every 2 iterations) and resumed
// takes the uninterrupted run's steps: the checkpoints drop the pairs in
// both. The same on 1 and 2 ranks.

#include <cmath>

#include "../tests.h"
#include "run_prm.h"

using namespace dealii;
using namespace mollifem;

std::string
prm(const unsigned int pairs, const std::string &settings)
{
  return testing::heat_b2_prm("FE field") +
         "subsection Inverse problem\n"
         "  subsection Stage 2\n"
         "    set Run = true\n    set Initial guess = 1\n"
         "    set Regularization = H1\n"
         "    set Gradient tolerance = 1e-6\n"
         "    set Recycled Hessian pairs = " +
         std::to_string(pairs) + "\n" + settings + "  end\nend\n";
}



std::string
discrepancy_prm(const unsigned int pairs)
{
  return prm(pairs,
             "    set Regularization weight = 0.01\n"
             "    set Discrepancy principle = true\n"
             "    set Discrepancy factor = 1.1\n");
}



/// A fixed weight, checkpoints every 2 iterations (and @p settings).
std::string
checkpoint_prm(const std::string &settings = "")
{
  return prm(60,
             "    set Regularization weight = 0.01\n"
             "    set Checkpoint interval = 2\n" +
               settings);
}



int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);

  const auto plain    = testing::run_prm(discrepancy_prm(0), "results-plain");
  const auto recycled = testing::run_prm(discrepancy_prm(60), "results-recycled");

  const auto relative = [&](const std::string &entry) {
    return std::abs(testing::get(recycled, entry) -
                    testing::get(plain, entry)) /
           std::abs(testing::get(plain, entry));
  };
  const double products = testing::get(plain, "stage 2/Hessian-vector products");
  const double recycled_products =
    testing::get(recycled, "stage 2/Hessian-vector products");
  testing::log()
    << "Hessian-vector products at least a quarter fewer with the pairs: "
    << testing::yes_no(recycled_products <= 0.75 * products)
    << "\nthe same weight (within 1%): "
    << testing::yes_no(relative("stage 2/regularization weight") < 0.01)
    << "\nthe same correlation with the truth (within 1e-3): "
    << testing::yes_no(std::abs(testing::get(recycled, "stage 2/correlation") -
                                testing::get(plain, "stage 2/correlation")) <
                       1e-3)
    << "\nthe same misfit (within 1%): "
    << testing::yes_no(relative("stage 2/misfit") < 0.01) << std::endl;

  const auto run = testing::stop_and_resume(
    checkpoint_prm(),
    checkpoint_prm("    set Stop after checkpoints = 2\n"),
    {"stage_2_history.csv"},
    {"stage 2/correlation", "stage 2/misfit", "stage 2/iterations"});
  testing::log() << "with the pairs, stopped after the second checkpoint and "
                    "resumed: history and scores identical: "
                 << testing::yes_no(run.same) << "; "
                 << testing::get(run.full, "stage 2/iterations")
                 << " iterations" << std::endl;
  return 0;
}
