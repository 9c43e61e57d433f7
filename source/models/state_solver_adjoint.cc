#include <deal.II/base/quadrature_lib.h>

#include <mollifem/models/state_solver.h>

namespace mollifem
{
  template <int dim>
  void
  StateSolver<dim>::assemble_linearization(const LA::Vector &ghosted_state,
                                           const double      time,
                                           const double      storage_weight,
                                           const double      residual_weight,
                                           const bool        transpose,
                                           StateMatrix &     matrix)
  {
    assemble(ghosted_state,
             time,
             storage_weight,
             residual_weight,
             nullptr,
             &matrix.matrix,
             transpose);
    matrix.invalidate();
  }



  template <int dim>
  void
  StateSolver<dim>::for_each_coefficient_derivative(
    const LA::Vector &ghosted_state,
    const double      time,
    const std::function<void(const FEValues<dim> &,
                             unsigned int,
                             const std::vector<double> &,
                             const std::vector<Tensor<1, dim>> &)> &worker,
    const std::function<void(const FEValues<dim> &,
                             const typename DoFHandler<dim>::active_cell_iterator &,
                             const std::vector<types::global_dof_index> &)>
      &cell_done)
  {
    Assert(coefficient != nullptr, ExcMessage("Call set_coefficient() first."));
    const unsigned int n_components = model.n_components();
    const QGauss<dim>  quadrature(fe->degree + 1);
    FEValues<dim>      fe_values(mapping_q,
                            *fe,
                            quadrature,
                            update_values | update_gradients |
                              update_quadrature_points | update_JxW_values);

    std::vector<Vector<double>> values(quadrature.size(),
                                       Vector<double>(n_components));
    std::vector<std::vector<Tensor<1, dim>>> gradients(
      quadrature.size(), std::vector<Tensor<1, dim>>(n_components));
    std::vector<double>         coefficient_values;
    std::vector<double>         d_value(n_components);
    std::vector<Tensor<1, dim>> d_flux(n_components);

    std::vector<types::global_dof_index> dof_indices(fe->n_dofs_per_cell());
    PointState<dim, double>  state(n_components);
    PointLinearizer<dim>     linearizer(n_components);
    const auto residual_function = [&](const PointState<dim, ADNumber> &s,
                                       PointResidual<dim, ADNumber> &   r) {
      model.residual(s, r);
    };

    for (const auto &cell : dofs.active_cell_iterators())
      {
        if (!cell->is_locally_owned())
          continue;
        fe_values.reinit(cell);
        cell_values(fe_values, cell, ghosted_state, dof_indices, values, gradients);
        coefficient->values(fe_values, coefficient_values);
        for (unsigned int q = 0; q < quadrature.size(); ++q)
          {
            state.set(values[q],
                      gradients[q],
                      coefficient_values[q],
                      fe_values.quadrature_point(q),
                      time);
            linearizer.linearize_coefficient(state,
                                             residual_function,
                                             d_value,
                                             d_flux);
            worker(fe_values, q, d_value, d_flux);
          }
        cell_done(fe_values, cell, dof_indices);
      }
  }



  template <int dim>
  void
  StateSolver<dim>::add_coefficient_gradient(
    const LA::Vector &                 ghosted_state,
    const LA::Vector &                 ghosted_adjoint,
    const double                       time,
    const double                       weight,
    const ParametricCoefficient<dim> & parameter_field,
    LA::Vector &                       gradient)
  {
    Assert(&parameter_field == coefficient,
           ExcMessage("The coefficient must be the solver's."));
    const unsigned int                       n_components = model.n_components();
    std::vector<Vector<double>>              adjoint_values;
    std::vector<std::vector<Tensor<1, dim>>> adjoint_gradients;
    std::vector<double>                      weights;
    std::vector<types::global_dof_index>     dof_indices(fe->n_dofs_per_cell());
    bool                                     new_cell = true;

    for_each_coefficient_derivative(
      ghosted_state,
      time,
      [&](const FEValues<dim> &              fe_values,
          const unsigned int                 q,
          const std::vector<double> &        d_value,
          const std::vector<Tensor<1, dim>> &d_flux) {
        if (new_cell)
          {
            const unsigned int n_q = fe_values.n_quadrature_points;
            adjoint_values.resize(n_q, Vector<double>(n_components));
            adjoint_gradients.resize(n_q,
                                     std::vector<Tensor<1, dim>>(n_components));
            const auto &cell = fe_values.get_cell();
            const typename DoFHandler<dim>::active_cell_iterator dof_cell(
              &cell->get_triangulation(), cell->level(), cell->index(), &dofs);
            cell_values(fe_values,
                        dof_cell,
                        ghosted_adjoint,
                        dof_indices,
                        adjoint_values,
                        adjoint_gradients);
            weights.assign(n_q, 0.);
            new_cell = false;
          }
        double w = 0.;
        for (unsigned int c = 0; c < n_components; ++c)
          w += d_value[c] * adjoint_values[q][c] +
               d_flux[c] * adjoint_gradients[q][c];
        weights[q] = weight * fe_values.JxW(q) * w;
      },
      [&](const FEValues<dim> &fe_values, const auto &, const auto &) {
        parameter_field.add_gradient(fe_values, weights, gradient);
        new_cell = true;
      });
    gradient.compress(VectorOperation::add);
  }



  template <int dim>
  void
  StateSolver<dim>::add_coefficient_derivative(
    const LA::Vector &                 ghosted_state,
    const double                       time,
    const double                       weight,
    const ParametricCoefficient<dim> & parameter_field,
    LA::Vector &                       result)
  {
    Assert(&parameter_field == coefficient,
           ExcMessage("The coefficient must be the solver's."));
    const unsigned int dofs_per_cell = fe->n_dofs_per_cell();
    std::vector<unsigned int> component_of(dofs_per_cell);
    for (unsigned int i = 0; i < dofs_per_cell; ++i)
      component_of[i] = fe->system_to_component_index(i).first;
    Vector<double>                       cell_vector(dofs_per_cell);
    std::vector<double>                  direction;
    bool                                 new_cell = true;

    for_each_coefficient_derivative(
      ghosted_state,
      time,
      [&](const FEValues<dim> &              fe_values,
          const unsigned int                 q,
          const std::vector<double> &        d_value,
          const std::vector<Tensor<1, dim>> &d_flux) {
        if (new_cell)
          {
            parameter_field.direction_values(fe_values, direction);
            cell_vector = 0.;
            new_cell    = false;
          }
        const double scale = weight * fe_values.JxW(q) * direction[q];
        for (unsigned int i = 0; i < dofs_per_cell; ++i)
          {
            const unsigned int c = component_of[i];
            cell_vector(i) += scale * (d_value[c] * fe_values.shape_value(i, q) +
                                       d_flux[c] * fe_values.shape_grad(i, q));
          }
      },
      [&](const FEValues<dim> &, const auto &, const auto &dof_indices) {
        zero_constraints.distribute_local_to_global(cell_vector,
                                                    dof_indices,
                                                    result);
        new_cell = true;
      });
    result.compress(VectorOperation::add);
  }



  template <int dim>
  void
  StateSolver<dim>::cell_values(
    const FEValues<dim> &                                  fe_values,
    const typename DoFHandler<dim>::active_cell_iterator &cell,
    const LA::Vector &                                     v,
    std::vector<types::global_dof_index> &                 dof_indices,
    std::vector<Vector<double>> &                          values,
    std::vector<std::vector<Tensor<1, dim>>> &             gradients)
  {
    cell->get_dof_indices(dof_indices);
    fe_values.get_function_values(v, make_array_view(dof_indices), values);
    fe_values.get_function_gradients(v,
                                     make_array_view(dof_indices),
                                     make_array_view(gradients));
  }



  template class StateSolver<1>;
  template class StateSolver<2>;
  template class StateSolver<3>;
} // namespace mollifem
