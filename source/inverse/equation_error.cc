#include <deal.II/dofs/dof_tools.h>

#include <deal.II/fe/fe.h>
#include <deal.II/fe/fe_values.h>

#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/trilinos_precondition.h>
#include <deal.II/lac/trilinos_sparsity_pattern.h>

#include <mollifem/inverse/equation_error.h>

namespace mollifem
{
  template <int dim>
  EquationError<dim>::EquationError(
    const DoFHandler<dim> &          parameter_dofs,
    const AffineConstraints<double> &constraints,
    const Mapping<dim> &             mapping,
    const Quadrature<dim> &          quadrature,
    const Settings &                 settings)
    : dofs(parameter_dofs)
    , constraints(constraints)
    , mapping(mapping)
    , quadrature(quadrature)
    , settings(settings)
    , target_points(Targets<dim>::at_quadrature_points(
        parameter_dofs.get_triangulation(),
        quadrature,
        mapping))
    , iterations(0)
  {
    const MPI_Comm communicator = target_points.communicator;
    IndexSet       relevant;
    DoFTools::extract_locally_relevant_dofs(dofs, relevant);
    LA::SparsityPattern pattern(dofs.locally_owned_dofs(),
                                dofs.locally_owned_dofs(),
                                relevant,
                                communicator);
    DoFTools::make_sparsity_pattern(dofs, pattern, constraints, false);
    pattern.compress();
    matrix.reinit(pattern);
    rhs.reinit(dofs.locally_owned_dofs(), communicator);

    // The regularization: beta (grad phi_i, grad phi_j) + alpha (phi_i,
    // phi_j), and alpha (k_0, phi_i).
    add_cell_terms([&](const FEValues<dim> &fe_values,
                       FullMatrix<double> & cell_matrix,
                       Vector<double> &     cell_rhs) {
      for (unsigned int q = 0; q < quadrature.size(); ++q)
        for (unsigned int i = 0; i < cell_rhs.size(); ++i)
          {
            for (unsigned int j = 0; j < cell_rhs.size(); ++j)
              cell_matrix(i, j) +=
                (settings.gradient_regularization *
                   fe_values.shape_grad(i, q) * fe_values.shape_grad(j, q) +
                 settings.l2_regularization * fe_values.shape_value(i, q) *
                   fe_values.shape_value(j, q)) *
                fe_values.JxW(q);
            cell_rhs(i) += settings.l2_regularization * settings.reference *
                           fe_values.shape_value(i, q) * fe_values.JxW(q);
          }
    });
  }



  template <int dim>
  void
  EquationError<dim>::add_cell_terms(
    const std::function<void(const FEValues<dim> &,
                             FullMatrix<double> &,
                             Vector<double> &)> &cell_terms)
  {
    const FiniteElement<dim> &fe = dofs.get_fe();
    FEValues<dim>             fe_values(mapping,
                            fe,
                            quadrature,
                            update_values | update_gradients |
                              update_quadrature_points | update_JxW_values);
    FullMatrix<double> cell_matrix(fe.n_dofs_per_cell(), fe.n_dofs_per_cell());
    Vector<double>     cell_rhs(fe.n_dofs_per_cell());
    std::vector<types::global_dof_index> indices(fe.n_dofs_per_cell());
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          cell_matrix = 0.;
          cell_rhs    = 0.;
          cell_terms(fe_values, cell_matrix, cell_rhs);
          cell->get_dof_indices(indices);
          constraints.distribute_local_to_global(
            cell_matrix, cell_rhs, indices, matrix, rhs);
        }
    matrix.compress(VectorOperation::add);
    rhs.compress(VectorOperation::add);
  }



  template <int dim>
  const Targets<dim> &
  EquationError<dim>::targets() const
  {
    return target_points;
  }



  template <int dim>
  void
  EquationError<dim>::add_snapshot(const std::vector<LA::Vector> &gradient,
                                   const LA::Vector &             laplacian,
                                   const LA::Vector *time_derivative,
                                   Function<dim> &   source,
                                   const double      time,
                                   const double      weight)
  {
    AssertDimension(gradient.size(), dim);
    source.set_time(time);
    // k lap u + grad k . grad u = du/dt - f.
    add_equations(
      [&](const types::global_dof_index row,
          const Point<dim> &            point,
          double &                      a,
          Tensor<1, dim> &              b,
          double &                      g) {
        a = laplacian[row];
        for (unsigned int d = 0; d < dim; ++d)
          b[d] = gradient[d][row];
        g = (time_derivative ? (*time_derivative)[row] : 0.) -
            source.value(point);
      },
      weight);
  }



  template <int dim>
  void
  EquationError<dim>::add_equations(const PointEquation &equation,
                                    const double         weight)
  {
    std::vector<double> c(dofs.get_fe().n_dofs_per_cell());
    // The targets are the quadrature points of the owned cells, in this
    // order: row k of the mollified vectors belongs to the k-th of them.
    auto row = target_points.locally_owned_rows.begin();
    add_cell_terms([&](const FEValues<dim> &fe_values,
                       FullMatrix<double> & cell_matrix,
                       Vector<double> &     cell_rhs) {
      for (unsigned int q = 0; q < quadrature.size(); ++q, ++row)
        {
          double         a = 0., g = 0.;
          Tensor<1, dim> b;
          equation(*row, fe_values.quadrature_point(q), a, b, g);
          for (unsigned int i = 0; i < c.size(); ++i)
            c[i] = fe_values.shape_value(i, q) * a +
                   fe_values.shape_grad(i, q) * b;
          const double w = weight * fe_values.JxW(q);
          for (unsigned int i = 0; i < c.size(); ++i)
            {
              for (unsigned int j = 0; j < c.size(); ++j)
                cell_matrix(i, j) += w * c[i] * c[j];
              cell_rhs(i) += w * c[i] * g;
            }
        }
    });
  }



  template <int dim>
  void
  EquationError<dim>::solve(LA::Vector &k)
  {
    k.reinit(dofs.locally_owned_dofs(), target_points.communicator);
    TrilinosWrappers::PreconditionAMG                 amg;
    TrilinosWrappers::PreconditionAMG::AdditionalData data;
    data.elliptic = true;
    amg.initialize(matrix, data);
    SolverControl        control(1000, 1e-10 * rhs.l2_norm());
    SolverCG<LA::Vector> cg(control);
    cg.solve(matrix, k, rhs, amg);
    iterations = control.last_step();
    constraints.distribute(k);
  }



  template <int dim>
  unsigned int
  EquationError<dim>::n_iterations() const
  {
    return iterations;
  }



  template class EquationError<1>;
  template class EquationError<2>;
  template class EquationError<3>;
} // namespace mollifem
