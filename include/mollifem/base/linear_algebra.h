#ifndef mollifem_base_linear_algebra_h
#define mollifem_base_linear_algebra_h

#include <deal.II/lac/trilinos_sparse_matrix.h>
#include <deal.II/lac/trilinos_sparsity_pattern.h>
#include <deal.II/lac/trilinos_vector.h>

namespace mollifem
{
  /**
   * The distributed linear algebra of mollifem: Trilinos (Epetra) vectors and
   * matrices, in one place so that a change of back end touches one file.
   * Vectors come in two flavors: "owned" (the locally owned entries, for
   * solvers and updates) and "ghosted" (owned plus locally relevant entries,
   * read-only, for evaluation on cells).
   */
  namespace LA
  {
    using Vector         = dealii::TrilinosWrappers::MPI::Vector;
    using SparseMatrix   = dealii::TrilinosWrappers::SparseMatrix;
    using SparsityPattern = dealii::TrilinosWrappers::SparsityPattern;

    /// Whether @p a and @p b (same layout) hold the same entries on every
    /// rank (collective).
    inline bool
    equal(const Vector &a, const Vector &b)
    {
      Vector difference = a;
      difference -= b;
      return difference.linfty_norm() == 0.;
    }
  } // namespace LA
} // namespace mollifem

#endif
