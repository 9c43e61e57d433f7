// The ROL vector of the parameter space (ParameterVector):
// - reductions over all MPI ranks (deal.II 9.4's adaptor reduces over the
//   locally owned entries only): the sum of a vector of ones is its size;
// - the lumped-mass inner product (Inner product = lumped mass) on a mesh
//   with hanging nodes: ROL's own checkVector passes (vector space axioms
//   and the consistency of dual()); dual().dual() is the identity; x.apply(g)
//   (a primal against a dual vector) is the Euclidean coefficient product, so
//   the gradient the objective computes needs no change;
// - the norm of a field is its L2 norm whatever the mesh: the constant 1 has
//   norm 1 on the unit square on a uniform mesh, and 1.03 on a locally
//   refined one (its constrained entries, which the optimizer does not move,
//   count with the mean weight), while its Euclidean norm is the square root
//   of the number of coefficients, 9 and 19.4.

#include <deal.II/base/function_lib.h>

#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe_q.h>

#include <deal.II/grid/grid_generator.h>

#include <deal.II/numerics/vector_tools.h>


#include <mollifem/inverse/optimizer.h>

#include <ROL_Types.hpp>
#include <mollifem/inverse/regularization.h>
#include <mollifem/mesh/mesh.h>

#include <sstream>

#include "../tests.h"

using namespace dealii;
using namespace mollifem;

void
check(const unsigned int local_steps)
{
  auto triangulation = make_triangulation<2>(MPI_COMM_WORLD);
  GridGenerator::hyper_cube(*triangulation);
  triangulation->refine_global(3);
  for (unsigned int step = 0; step < local_steps; ++step)
    {
      for (const auto &cell : triangulation->active_cell_iterators())
        if (cell->is_locally_owned() && cell->center()[0] < 0.3)
          cell->set_refine_flag();
      triangulation->execute_coarsening_and_refinement();
    }
  const FE_Q<2>   fe(1);
  DoFHandler<2>   dofs(*triangulation);
  dofs.distribute_dofs(fe);
  IndexSet relevant;
  DoFTools::extract_locally_relevant_dofs(dofs, relevant);
  AffineConstraints<double> constraints(relevant);
  DoFTools::make_hanging_node_constraints(dofs, constraints);
  constraints.close();
  unsigned int n_constrained = 0;
  for (const auto i : dofs.locally_owned_dofs())
    n_constrained += constraints.is_constrained(i) ? 1 : 0;
  testing::log() << (local_steps == 0 ? "uniform mesh" : "locally refined mesh")
                 << ", " << dofs.n_dofs() << " coefficients, "
                 << Utilities::MPI::sum(n_constrained, MPI_COMM_WORLD)
                 << " of them constrained" << std::endl;

  const auto weights =
    std::make_shared<const LA::Vector>(lumped_mass(dofs, constraints));

  LA::Vector one(dofs.locally_owned_dofs(), MPI_COMM_WORLD);
  one = 1.;
  const ParameterVector ones(Teuchos::rcp(new LA::Vector(one)));
  testing::log() << "  sum of ones over all ranks = size: "
                 << testing::yes_no(
                      ones.reduce(ROL::Elementwise::ReductionSum<double>()) ==
                      dofs.n_dofs())
                 << std::endl;

  const ParameterVector euclidean(Teuchos::rcp(new LA::Vector(one)));
  const ParameterVector weighted(Teuchos::rcp(new LA::Vector(one)), weights);
  testing::log() << "  norm of the constant 1: Euclidean "
                 << testing::format(euclidean.norm(), 4) << ", lumped mass "
                 << testing::format(weighted.norm(), 4) << std::endl;

  // Two smooth fields, and a dual vector (a gradient).
  LA::Vector a(dofs.locally_owned_dofs(), MPI_COMM_WORLD), b(a), g(a);
  VectorTools::interpolate(dofs, Functions::CosineFunction<2>(), a);
  VectorTools::interpolate(dofs, Functions::SquareFunction<2>(), b);
  VectorTools::interpolate(dofs, Functions::Q1WedgeFunction<2>(), g);
  const ParameterVector x(Teuchos::rcp(new LA::Vector(a)), weights);
  const ParameterVector y(Teuchos::rcp(new LA::Vector(b)), weights);
  const ParameterVector gradient(Teuchos::rcp(new LA::Vector(g)), weights, true);

  const auto          z = x.clone();
  z->set(x);
  std::ostringstream  ignore;
  const auto          errors = x.checkVector(y, *z, false, ignore);
  double              largest = 0.;
  for (const double e : errors)
    largest = std::max(largest, std::abs(e));
  testing::log() << "  ROL checkVector, largest error below 1e-12: "
                 << testing::yes_no(largest < 1e-12) << std::endl;

  const auto   back = x.dual().dual().clone();
  back->set(x.dual().dual());
  back->axpy(-1., x);
  testing::log() << "  dual().dual() = identity: "
                 << testing::yes_no(back->norm() <= 1e-14 * x.norm())
                 << std::endl;
  const double euclidean_product = a * g;
  testing::log() << "  apply(gradient) = Euclidean product of the "
                    "coefficients: "
                 << testing::yes_no(std::abs(x.apply(gradient) -
                                             euclidean_product) <=
                                    1e-12 * std::abs(euclidean_product))
                 << std::endl;
  testing::log() << "  dual of the gradient in the dual norm: "
                 << testing::yes_no(std::abs(gradient.dual().norm() -
                                             gradient.norm()) <=
                                    1e-12 * gradient.norm())
                 << std::endl;
}

int
main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  check(0);
  check(2);
  return 0;
}
