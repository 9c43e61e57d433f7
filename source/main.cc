// The mollifem driver: runs a study from a parameter file. Everything it does
// lives in the library (mollifem/study/driver.h), so that it can be tested.

#include <deal.II/base/mpi.h>

#include <mollifem/study/driver.h>

int
main(int argc, char **argv)
{
  // One thread per MPI rank: results must not depend on thread scheduling.
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  return mollifem::run_driver(argc, argv, MPI_COMM_WORLD);
}
