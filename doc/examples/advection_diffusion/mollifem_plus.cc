// The mollifem program with one more model, registered from outside the
// library: `mollifem_plus --print-parameters` lists "advection-diffusion"
// with its parameters, and `mollifem_plus advection_diffusion.prm` runs
// everything the program does (synthetic data, mollifier, stage 2, studies)
// with it.
#include <mollifem/study/driver.h>

#include "advection_diffusion.h"

MOLLIFEM_REGISTER_MODEL(AdvectionDiffusion,
                        "advection-diffusion",
                        "steady advection-diffusion -div(kappa grad u) + "
                        "beta . grad u = f with diffusivity kappa(x), u = 0 "
                        "on the boundary (doc/examples/advection_diffusion).");

int main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  return mollifem::run_driver(argc, argv, MPI_COMM_WORLD);
}
